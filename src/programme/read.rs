//! Reading a programme from the buyer's own files: CSV (any encoding French Excel writes),
//! xlsx/xls/ods workbooks, or the crate's JSON; every row error at once; lenient mode; merging
//! the files of several services.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::law::context::SocialExemption;
use crate::programme::columns::{
    AMBIGUOUS, ColumnMap, Field, Mapped, aliases, canonical, field_of_key, french, header_key,
    header_score,
};
use crate::programme::fields::{self, DatePrecision, DurationUnit, short};
use crate::programme::files::read_bytes;
use crate::programme::model::{
    Buyer, Intermediary, IntermediaryKind, LineStatus, Lot, PlanLine, Programme, line_problems,
};
use crate::programme::sheet::{Cell, Row, Table, csv_table};
use crate::util::text::excerpt;
use crate::values::buyer_kind::BuyerKind;
use crate::values::money::{Amount, ConventionVotes, NumberConvention};
use crate::values::nature::Nature;

/// The format of a programme (or targets) file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FileFormat {
    /// Delimited text (CSV, TSV): UTF-8, UTF-16 or Windows-1252, detected.
    Csv,
    /// The crate's JSON form of a programme.
    Json,
    /// Excel 2007+ workbook (`.xlsx`, `.xlsm`; feature `spreadsheet`).
    Xlsx,
    /// Excel 97–2003 workbook (`.xls`; feature `spreadsheet`).
    Xls,
    /// Excel binary workbook (`.xlsb`; feature `spreadsheet`).
    Xlsb,
    /// OpenDocument spreadsheet (`.ods`, LibreOffice; feature `spreadsheet`).
    Ods,
}

impl FileFormat {
    /// The format a file name's extension says, if any (`csv`, `tsv`, `txt`, `json`, `xlsx`,
    /// `xlsm`, `xls`, `xlsb`, `ods`, any case).
    ///
    /// ```
    /// use spaser::FileFormat;
    /// assert_eq!(FileFormat::from_path("Programmation 2026.XLSX"), Some(FileFormat::Xlsx));
    /// assert_eq!(FileFormat::from_path("besoins"), None);
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Option<FileFormat> {
        let ext = path.as_ref().extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" | "tsv" | "txt" => FileFormat::Csv,
            "json" => FileFormat::Json,
            "xlsx" | "xlsm" => FileFormat::Xlsx,
            "xls" => FileFormat::Xls,
            "xlsb" => FileFormat::Xlsb,
            "ods" => FileFormat::Ods,
            _ => return None,
        })
    }

    /// The format the first bytes show: a zip archive is a workbook (xlsx or ods, told apart
    /// when read), an OLE file an xls, a `{` a JSON document, anything else CSV.
    pub fn sniff(bytes: &[u8]) -> FileFormat {
        if bytes.starts_with(b"PK\x03\x04") {
            // An OpenDocument file stores its "mimetype" first, uncompressed.
            let head = &bytes[..bytes.len().min(120)];
            if head
                .windows(b"application/vnd.oasis.opendocument.spreadsheet".len())
                .any(|w| w == b"application/vnd.oasis.opendocument.spreadsheet")
            {
                FileFormat::Ods
            } else {
                FileFormat::Xlsx
            }
        } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            FileFormat::Xls
        } else if bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(bytes)
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            == Some(&b'{')
        {
            FileFormat::Json
        } else {
            FileFormat::Csv
        }
    }
}

/// Options of [`Programme::read`] and [`Programme::read_path`] (and of the targets table
/// reader): format, sheet, column map, lenient mode, error limit, number convention and the
/// buyer.
///
/// ```
/// use spaser::{NumberConvention, ReadOptions};
/// let options = ReadOptions::default()
///     .sheet("Programmation")
///     .lenient(true)
///     .max_errors(20)
///     .number_convention(NumberConvention::DecimalComma);
/// assert!(options.is_lenient());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOptions {
    format: Option<FileFormat>,
    sheet: Option<String>,
    columns: ColumnMap,
    lenient: bool,
    max_errors: usize,
    convention: Option<NumberConvention>,
    buyer: Option<Buyer>,
}

impl Default for ReadOptions {
    /// Format from the extension or the content, first sheet with a header, no column map,
    /// strict, 100 errors listed, number convention from the file's cells only, no buyer.
    fn default() -> ReadOptions {
        ReadOptions {
            format: None,
            sheet: None,
            columns: ColumnMap::default(),
            lenient: false,
            max_errors: 100,
            convention: None,
            buyer: None,
        }
    }
}

impl ReadOptions {
    /// Reads the file as `format` whatever its name says.
    pub fn format(mut self, format: FileFormat) -> ReadOptions {
        self.format = Some(format);
        self
    }

    /// Reads the sheet named `name` of a workbook (compared without case). By default the
    /// first sheet whose first rows hold a recognisable header, else the first sheet.
    pub fn sheet(mut self, name: impl Into<String>) -> ReadOptions {
        self.sheet = Some(name.into());
        self
    }

    /// Maps headers the alias table does not know ([`ColumnMap`]).
    pub fn columns(mut self, map: ColumnMap) -> ReadOptions {
        self.columns = map;
        self
    }

    /// Lenient mode: the good rows are kept and the rejected ones listed, instead of the
    /// whole file being refused.
    pub fn lenient(mut self, lenient: bool) -> ReadOptions {
        self.lenient = lenient;
        self
    }

    /// The most row errors listed (default 100; at least 1). Rows beyond are still counted.
    pub fn max_errors(mut self, n: usize) -> ReadOptions {
        self.max_errors = n.max(1);
        self
    }

    /// The number convention the caller declares (the file's locale): it decides the amounts
    /// that read two ways (`250.000`) when no cell of the file proves a convention, and never
    /// overrides the cells.
    pub fn number_convention(mut self, convention: NumberConvention) -> ReadOptions {
        self.convention = Some(convention);
        self
    }

    /// The buyer of the programme (a spreadsheet does not say who buys; a JSON programme's
    /// own buyer is replaced, with a warning when it differs).
    pub fn buyer(mut self, buyer: Buyer) -> ReadOptions {
        self.buyer = Some(buyer);
        self
    }

    /// Whether lenient mode is on.
    pub fn is_lenient(&self) -> bool {
        self.lenient
    }

    /// The sheet asked for.
    pub(crate) fn sheet_name(&self) -> Option<&str> {
        self.sheet.as_deref()
    }

    /// The declared number convention.
    pub(crate) fn declared_convention(&self) -> Option<NumberConvention> {
        self.convention
    }

    /// The error limit.
    pub(crate) fn error_limit(&self) -> usize {
        self.max_errors
    }

    /// The format asked for.
    pub(crate) fn format_asked(&self) -> Option<FileFormat> {
        self.format
    }
}

/// A row (or JSON line) that was rejected, with the reason.
///
/// Displayed as `line 7, column "Montant HT": amount "12,5,0" is not a decimal number`
/// (prefixed with the file when known).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RowError {
    /// The file, when the programme was read from a path or merged.
    pub file: Option<String>,
    /// The physical line of a CSV file, the row of a sheet, or the position (from 1) of the
    /// line in a JSON programme's `lines`.
    pub line: u64,
    /// The line's id, for a JSON programme.
    pub id: Option<String>,
    /// The column as written in the header, when the error is a cell's.
    pub column: Option<String>,
    /// The field of a JSON line (`amount`, `lot.number`), when the error is a field's.
    pub field: Option<String>,
    /// The cause.
    pub kind: ErrorKind,
    /// The rule broken, quoting the value (at most 80 characters of it).
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}, ")?;
        }
        write!(f, "line {}", self.line)?;
        if let Some(id) = &self.id {
            write!(f, " (id \"{}\")", excerpt(id))?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column \"{}\"", excerpt(c))?;
        }
        if let Some(c) = &self.field {
            write!(f, ", field \"{c}\"")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// What a warning of a read is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReadWarningKind {
    /// The file was decoded as Windows-1252 or UTF-16, or had bytes replaced.
    Encoding,
    /// Which sheet of a workbook was read.
    Sheet,
    /// Rows above the header row (titles) were not read.
    RowsAboveHeader,
    /// Columns (or JSON fields) that are not used.
    UnusedColumns,
    /// A column header read as one of two fields by its content (`Catégorie`).
    AmbiguousHeader,
    /// The file has no id column: lines are named after their row.
    GeneratedIds,
    /// Totals rows, not purchases, were skipped.
    TotalRows,
    /// Amounts computed from an annual amount and the duration.
    AnnualAmounts,
    /// Amounts that read two ways were read with the file's number convention.
    NumberConvention,
    /// Dates given as a month or a quarter, read as their first day.
    PeriodDates,
    /// No buyer was given: the buyer is named after the file.
    NoBuyer,
    /// The buyer of a JSON programme or of a merged file differs from the one used.
    BuyerReplaced,
    /// Rows were rejected (lenient mode).
    RejectedRows,
}

/// A warning of a read: something the reader did that the buyer should know.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadWarning {
    /// The file, when known.
    pub file: Option<String>,
    /// What it is about.
    pub kind: ReadWarningKind,
    /// The line (row) it is about, if one.
    pub line: Option<u64>,
    /// The message (English, lowercase).
    pub message: String,
}

impl fmt::Display for ReadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}: ")?;
        }
        if let Some(l) = self.line {
            write!(f, "line {l}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// How the rows of a file were accounted for: `read == accepted + rejected + blank + skipped`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RowCounts {
    /// Rows after the header (or JSON lines), all of them.
    pub read: u64,
    /// Rows that became programme lines.
    pub accepted: u64,
    /// Rows rejected with at least one error.
    pub rejected: u64,
    /// Empty rows.
    pub blank: u64,
    /// Rows skipped with a warning (totals).
    pub skipped: u64,
}

/// Where a line of a programme was read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Origin {
    file: Option<Arc<str>>,
    line: u64,
}

/// The result of reading a programme file: the lines, the warnings, and every rejected row
/// with its reasons.
///
/// The programme is handed out only when no row was rejected, or in lenient mode
/// ([`ReadOptions::lenient`]): accepted rows are never used silently when others failed.
///
/// ```
/// use spaser::{Buyer, BuyerKind, ErrorKind, FileFormat, Programme, ReadOptions};
/// let csv = "libellé;nature;montant HT;date de lancement;commentaire\n\
///            Papier;fournitures;35 000 €;04/05/2026;à revoir\n\
///            Voirie;travaux;deux cents;2026-05-04;\n";
/// let options = ReadOptions::default()
///     .format(FileFormat::Csv)
///     .buyer(Buyer::new("Ville", BuyerKind::OtherContractingAuthority));
/// let read = Programme::read(csv.as_bytes(), &options)?;
/// assert_eq!(read.errors().len(), 1);
/// assert!(read.errors()[0].to_string().starts_with("line 3, column \"montant HT\""));
/// assert!(read.warnings().iter().any(|w| w.message.contains("\"commentaire\"")));
/// assert_eq!(read.programme().unwrap_err().kind(), ErrorKind::Parse); // strict by default
///
/// let lenient = Programme::read(csv.as_bytes(), &options.lenient(true))?;
/// assert_eq!(lenient.programme()?.lines.len(), 1); // the good row, the bad one listed
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ProgrammeRead {
    programme: Programme,
    origins: Vec<Origin>,
    warnings: Vec<ReadWarning>,
    errors: Vec<RowError>,
    errors_not_listed: u64,
    counts: RowCounts,
    lenient: bool,
    max_errors: usize,
}

impl ProgrammeRead {
    /// Whether every row was accepted.
    pub fn is_valid(&self) -> bool {
        self.counts.rejected == 0 && self.errors.is_empty()
    }

    /// The programme: every line when the file is valid; the accepted lines in lenient mode.
    ///
    /// # Errors
    /// When rows were rejected and the read is not lenient: the error of
    /// [`ProgrammeRead::error`] (every listed row error, one per line of the message).
    pub fn programme(&self) -> Result<&Programme> {
        match self.error() {
            Some(e) if !self.lenient => Err(e),
            _ => Ok(&self.programme),
        }
    }

    /// The programme, by value (see [`ProgrammeRead::programme`]).
    ///
    /// # Errors
    /// As [`ProgrammeRead::programme`].
    pub fn into_programme(self) -> Result<Programme> {
        match self.error() {
            Some(e) if !self.lenient => Err(e),
            _ => Ok(self.programme),
        }
    }

    /// The rejected rows' errors, in file order (at most the limit of
    /// [`ReadOptions::max_errors`]).
    pub fn errors(&self) -> &[RowError] {
        &self.errors
    }

    /// How many errors were found beyond the limit and not listed.
    pub fn errors_not_listed(&self) -> u64 {
        self.errors_not_listed
    }

    /// The warnings, in the order found.
    pub fn warnings(&self) -> &[ReadWarning] {
        &self.warnings
    }

    /// How the rows were accounted for.
    pub fn counts(&self) -> RowCounts {
        self.counts
    }

    /// The file and line where the line `id` was read.
    pub fn origin(&self, id: &str) -> Option<(Option<&str>, u64)> {
        let i = self.programme.lines.iter().position(|l| l.id == id)?;
        self.origins.get(i).map(|o| (o.file.as_deref(), o.line))
    }

    /// Every listed row error as one error (`None` when there is none): the kind of the
    /// first, and one error per line of the message, the first first.
    pub fn error(&self) -> Option<Error> {
        let first = self.errors.first()?;
        let mut msg = self
            .errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        if self.errors_not_listed > 0 {
            msg.push_str(&format!(
                "\n… and {} more errors not listed (limit {})",
                self.errors_not_listed, self.max_errors
            ));
        }
        Some(Error::new(first.kind, msg))
    }
}

/// Collects row errors up to a limit.
struct Errors {
    file: Option<Arc<str>>,
    list: Vec<RowError>,
    not_listed: u64,
    limit: usize,
}

impl Errors {
    fn push(&mut self, line: u64, column: Option<&str>, e: &Error) {
        if self.list.len() >= self.limit {
            self.not_listed += 1;
            return;
        }
        self.list.push(RowError {
            file: self.file.as_deref().map(str::to_string),
            line,
            id: None,
            column: column.map(str::to_string),
            field: None,
            kind: e.kind(),
            message: e.to_string(),
        });
    }
}

fn warn(
    warnings: &mut Vec<ReadWarning>,
    file: &Option<Arc<str>>,
    kind: ReadWarningKind,
    line: Option<u64>,
    message: String,
) {
    warnings.push(ReadWarning {
        file: file.as_deref().map(str::to_string),
        kind,
        line,
        message,
    });
}

/// A few line numbers for a message (`3, 5, 8 and 12 more`).
fn some_lines(lines: &[u64]) -> String {
    let shown: Vec<String> = lines.iter().take(8).map(|l| l.to_string()).collect();
    if lines.len() > 8 {
        format!("{} and {} more", shown.join(", "), lines.len() - 8)
    } else {
        shown.join(", ")
    }
}

impl Programme {
    /// Reads a programme from its JSON form (`{"buyer": {...}, "lines": [...]}`, the format
    /// of [`Programme::to_json`]), line by line: every bad line is reported, each error naming
    /// the line (position and id) and the field (`line 3 (id "F26-02"), field "amount": …`).
    /// Fields the format does not have are ignored ([`Programme::read`] reports them).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] for malformed JSON (with its line and column) or a field of the
    /// wrong form; the problems of [`Programme::validate`], for every line; the kind is the
    /// first error's, the message lists them all, one per line.
    pub fn from_json(json: &str) -> Result<Programme> {
        read_json(json, None, &ReadOptions::default())?.into_programme()
    }

    /// Reads a programme from a file's bytes: CSV (UTF-8, UTF-16 or Windows-1252, detected;
    /// `sep=` line; `;`, `,`, tab or `|`), a workbook (xlsx, xls, xlsb, ods; feature
    /// `spreadsheet`) or the crate's JSON — the format asked for in `options`, else the
    /// content's ([`FileFormat::sniff`]).
    ///
    /// Spreadsheets are read as buyers keep them. The header row is the row among the first 30
    /// whose cells most read as fields (title rows above are reported). Headers are matched
    /// against the alias table (French and English; case, accents, punctuation and noise
    /// words such as `de`, `HT`, `€`, `prévisionnel` do not matter — see the README's table)
    /// and the options' [`ColumnMap`]; **every column not used is reported** in a warning.
    /// Required: the label, the nature, the amount (`montant`…) or the annual amount
    /// (`montant annuel`: total = annual × duration, said in a warning) and the launch date;
    /// without an id column the lines are named `L<row>`. Amounts that read two ways
    /// (`250.000`) take the number convention of their column, decided from its unambiguous
    /// cells (else the file's, else the declared one); when nothing decides they are errors.
    /// Dates are `2026-03-15`, `15/03/2026`, a month (`05/2026`, `mai 2026`) or a quarter
    /// (`T2 2026`), Excel date cells or serials, all within 1990–2100. Durations read `36`,
    /// `36 mois`, `4 ans`, `12+36`, `1 an reconductible 3 fois`. Totals rows are skipped with a
    /// warning, blank rows ignored; every other row becomes a line or an error.
    ///
    /// # Errors
    /// Problems of the file as a whole: [`ErrorKind::Parse`] for a file that is not of its
    /// format (or JSON with a syntax error, with line and column); [`ErrorKind::Missing`] for
    /// an empty file, a missing required column (naming the aliases looked for and the headers
    /// seen) or sheet; [`ErrorKind::Duplicate`] for two columns read as one field. Row errors do not
    /// fail the read: they are in [`ProgrammeRead::errors`].
    pub fn read(bytes: &[u8], options: &ReadOptions) -> Result<ProgrammeRead> {
        read_bytes_as(bytes, None, options)
    }

    /// Reads a programme file (see [`Programme::read`]); the format comes from the options,
    /// the extension, or the content. Errors and warnings name the file. Without a buyer in
    /// the options, the buyer of a spreadsheet is named after the file (with a warning).
    ///
    /// # Errors
    /// [`ErrorKind::Io`] naming the file and the OS reason; the errors of
    /// [`Programme::read`], prefixed with the file.
    ///
    /// ```no_run
    /// use spaser::{Buyer, Programme, ReadOptions};
    /// let buyer = Buyer::from_path("acheteur.toml")?;
    /// let read = Programme::read_path("Programmation 2026.xlsx", &ReadOptions::default().buyer(buyer))?;
    /// for w in read.warnings() {
    ///     eprintln!("{w}");
    /// }
    /// let programme = read.into_programme()?; // every row error at once if any
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn read_path(path: impl AsRef<Path>, options: &ReadOptions) -> Result<ProgrammeRead> {
        let path = path.as_ref();
        let bytes = read_bytes(path)?;
        let mut opts = options.clone();
        if opts.format.is_none() {
            opts.format = FileFormat::from_path(path);
        }
        let name = path.display().to_string();
        read_bytes_as(&bytes, Some(&name), &opts).map_err(|e| e.context(&name))
    }

    /// Merges the programmes read from several files (one per prescribing service is how
    /// needs are collected) into one: lines in file order; the buyer of the first file (a
    /// different buyer in another file is a warning); warnings and errors kept with their
    /// file; a line id used in two files is an error naming both files and lines (in lenient
    /// mode the first is kept).
    ///
    /// ```
    /// use spaser::{Buyer, BuyerKind, FileFormat, Programme, ReadOptions};
    /// let opts = ReadOptions::default()
    ///     .format(FileFormat::Csv)
    ///     .buyer(Buyer::new("Ville", BuyerKind::OtherContractingAuthority));
    /// let a = Programme::read(b"id;libelle;nature;montant;lancement\nA1;Papier;fournitures;1000;2026-05-04\n", &opts)?;
    /// let b = Programme::read(b"id;libelle;nature;montant;lancement\nA1;Voirie;travaux;9000;2026-05-04\n", &opts)?;
    /// let merged = Programme::merge(vec![a, b]);
    /// assert!(merged.errors()[0].to_string().contains("line id \"A1\" is already used"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn merge(parts: Vec<ProgrammeRead>) -> ProgrammeRead {
        let mut iter = parts.into_iter();
        let Some(first) = iter.next() else {
            return ProgrammeRead {
                programme: Programme {
                    buyer: Buyer::new("", BuyerKind::OtherContractingAuthority),
                    lines: Vec::new(),
                },
                origins: Vec::new(),
                warnings: Vec::new(),
                errors: Vec::new(),
                errors_not_listed: 0,
                counts: RowCounts::default(),
                lenient: false,
                max_errors: 100,
            };
        };
        let mut out = first;
        let mut seen: HashMap<String, usize> = out
            .programme
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.clone(), i))
            .collect();
        for part in iter {
            out.lenient |= part.lenient;
            if part.programme.buyer != out.programme.buyer {
                out.warnings.push(ReadWarning {
                    file: part
                        .origins
                        .first()
                        .and_then(|o| o.file.as_deref().map(str::to_string)),
                    kind: ReadWarningKind::BuyerReplaced,
                    line: None,
                    message: format!(
                        "the buyer \"{}\" of this file is replaced by \"{}\" of the first file",
                        excerpt(&part.programme.buyer.name),
                        excerpt(&out.programme.buyer.name)
                    ),
                });
            }
            out.warnings.extend(part.warnings);
            for e in part.errors {
                if out.errors.len() < out.max_errors {
                    out.errors.push(e);
                } else {
                    out.errors_not_listed += 1;
                }
            }
            out.errors_not_listed += part.errors_not_listed;
            let c = part.counts;
            out.counts.read += c.read;
            out.counts.accepted += c.accepted;
            out.counts.rejected += c.rejected;
            out.counts.blank += c.blank;
            out.counts.skipped += c.skipped;
            for (line, origin) in part.programme.lines.into_iter().zip(part.origins) {
                if let Some(&i) = seen.get(&line.id) {
                    let first = &out.origins[i];
                    let where_first = match &first.file {
                        Some(f) => format!("{f}, line {}", first.line),
                        None => format!("line {}", first.line),
                    };
                    let e = RowError {
                        file: origin.file.as_deref().map(str::to_string),
                        line: origin.line,
                        id: None,
                        column: Some("id".to_string()),
                        field: None,
                        kind: ErrorKind::Duplicate,
                        message: format!(
                            "line id \"{}\" is already used in {where_first}",
                            excerpt(&line.id)
                        ),
                    };
                    if out.errors.len() < out.max_errors {
                        out.errors.push(e);
                    } else {
                        out.errors_not_listed += 1;
                    }
                    out.counts.accepted -= 1;
                    out.counts.rejected += 1;
                    continue;
                }
                seen.insert(line.id.clone(), out.programme.lines.len());
                out.programme.lines.push(line);
                out.origins.push(origin);
            }
        }
        out
    }
}

/// Reads bytes as the format asked for or sniffed.
pub(crate) fn read_bytes_as(
    bytes: &[u8],
    file: Option<&str>,
    options: &ReadOptions,
) -> Result<ProgrammeRead> {
    let format = options
        .format_asked()
        .unwrap_or_else(|| FileFormat::sniff(bytes));
    let file: Option<Arc<str>> = file.map(Arc::from);
    match format {
        FileFormat::Json => {
            let text = decode_json(bytes)?;
            read_json(&text, file, options)
        }
        FileFormat::Csv => read_table(csv_table(bytes)?, file, options),
        other => {
            let map = &options.columns;
            let is_header = |cells: &[Cell]| header_score(cells, Some(map)) >= 2;
            let table = workbook_table(bytes, other, options.sheet_name(), &is_header)?;
            read_table(table, file, options)
        }
    }
}

/// The text of a JSON file (UTF-8, BOM dropped).
fn decode_json(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(body)
        .map(std::borrow::Cow::Borrowed)
        .map_err(|e| {
            Error::new(
                ErrorKind::Parse,
                format!("programme JSON is not UTF-8 (byte {})", e.valid_up_to()),
            )
        })
}

/// The rows of a workbook's sheet.
///
/// # Errors
/// [`ErrorKind::Parse`] when the feature `spreadsheet` is off or the bytes are not a
/// workbook; [`ErrorKind::Missing`] for an unknown sheet.
pub(crate) fn workbook_table(
    bytes: &[u8],
    format: FileFormat,
    sheet: Option<&str>,
    is_header: &dyn Fn(&[Cell]) -> bool,
) -> Result<Table> {
    #[cfg(feature = "spreadsheet")]
    {
        use crate::programme::sheet::workbook::{self, Kind};
        let kind = match format {
            FileFormat::Xls => Kind::Xls,
            FileFormat::Xlsb => Kind::Xlsb,
            FileFormat::Ods => Kind::Ods,
            // A zip may be xlsx or ods: told apart by the reader.
            _ => Kind::Any,
        };
        workbook::read(bytes, kind, sheet, is_header)
    }
    #[cfg(not(feature = "spreadsheet"))]
    {
        let _ = (bytes, sheet, is_header);
        Err(Error::new(
            ErrorKind::Parse,
            format!(
                "reading {format:?} workbooks needs the crate's `spreadsheet` feature; export the sheet as CSV"
            ),
        ))
    }
}

/// Finds the header row: the row among the first 30 whose cells most read as fields (the
/// first such), else the first non-blank row. `None` when every row is blank.
pub(crate) fn header_row(rows: &[Row], score: &dyn Fn(&[Cell]) -> usize) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, r) in rows.iter().enumerate().take(30) {
        let s = score(&r.cells);
        if s > 0 && best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    best.map(|(i, _)| i).or_else(|| {
        rows.iter()
            .position(|r| r.cells.iter().any(|c| !c.is_blank()))
    })
}

/// The columns of a header row.
struct Columns {
    /// Header text of each column, as written.
    headers: Vec<String>,
    /// Column index of each field.
    index: BTreeMap<Field, usize>,
}

impl Columns {
    fn cell<'a>(&self, row: &'a Row, f: Field) -> Option<(&'a Cell, &str)> {
        let i = *self.index.get(&f)?;
        let c = row.cells.get(i).unwrap_or(&Cell::Empty);
        Some((c, self.headers[i].as_str()))
    }
}

/// Whether a row is a totals row (`Total`, `Sous-total`, `Total général` in its first
/// non-blank cells, and no nature).
fn is_total_row(row: &Row, cols: &Columns) -> bool {
    let nature_blank = cols
        .cell(row, Field::Nature)
        .is_none_or(|(c, _)| c.is_blank());
    nature_blank
        && row.cells.iter().filter(|c| !c.is_blank()).take(2).any(|c| {
            let w = crate::programme::columns::words(&c.text());
            matches!(w.first().map(String::as_str), Some("total" | "totaux"))
                || (w.len() >= 2 && w[0] == "sous" && w[1] == "total")
        })
}

fn read_table(
    table: Table,
    file: Option<Arc<str>>,
    options: &ReadOptions,
) -> Result<ProgrammeRead> {
    let map = Some(&options.columns);
    let mut warnings = Vec::new();
    for n in &table.notes {
        let kind = if n.starts_with("read sheet") {
            ReadWarningKind::Sheet
        } else {
            ReadWarningKind::Encoding
        };
        warn(&mut warnings, &file, kind, None, n.clone());
    }
    let buyer = match &options.buyer {
        Some(b) => b.clone(),
        None => {
            let name = file
                .as_deref()
                .map(|f| {
                    Path::new(f)
                        .file_stem()
                        .map_or_else(|| f.to_string(), |s| s.to_string_lossy().into_owned())
                })
                .unwrap_or_default();
            if file.is_some() {
                warn(
                    &mut warnings,
                    &file,
                    ReadWarningKind::NoBuyer,
                    None,
                    format!(
                        "no buyer profile was given: the buyer is named \"{}\" after the file, as an other contracting authority",
                        excerpt(&name)
                    ),
                );
            }
            Buyer::new(name, BuyerKind::OtherContractingAuthority)
        }
    };
    let rows = table.rows;
    let Some(h) = header_row(&rows, &|cells: &[Cell]| header_score(cells, map)) else {
        return Err(Error::new(
            ErrorKind::Missing,
            "the file has no header row (it is empty or blank)",
        ));
    };
    let header = &rows[h];
    let header_line = header.line;
    let above: Vec<u64> = rows[..h]
        .iter()
        .filter(|r| r.cells.iter().any(|c| !c.is_blank()))
        .map(|r| r.line)
        .collect();
    if !above.is_empty() {
        warn(
            &mut warnings,
            &file,
            ReadWarningKind::RowsAboveHeader,
            None,
            format!(
                "the header is on line {header_line}: line(s) {} above it were not read as purchases",
                some_lines(&above)
            ),
        );
    }
    if let Some(p) = &header.problem {
        return Err(Error::new(
            ErrorKind::Parse,
            format!("line {header_line}: {p}"),
        ));
    }
    let data = &rows[h + 1..];
    let width = data
        .iter()
        .map(|r| r.cells.len())
        .max()
        .unwrap_or(0)
        .max(header.cells.len());
    let headers: Vec<String> = (0..header.cells.len())
        .map(|i| header.cells[i].text().into_owned())
        .collect();

    // Match the headers.
    let mut index: BTreeMap<Field, usize> = BTreeMap::new();
    let mut unused: Vec<usize> = Vec::new();
    let mut ambiguous: Vec<(usize, Field, Field)> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if h.is_empty() {
            unused.push(i);
            continue;
        }
        let field = match options.columns.lookup(h) {
            Some(Mapped::Ignore) => continue,
            Some(Mapped::Field(f)) => Some(f),
            None => {
                let k = header_key(h);
                match field_of_key(&k) {
                    Some(f) => Some(f),
                    None => {
                        if let Some((_, a, b)) = AMBIGUOUS.iter().find(|(a, ..)| *a == k) {
                            ambiguous.push((i, *a, *b));
                        } else {
                            unused.push(i);
                        }
                        None
                    }
                }
            }
        };
        if let Some(f) = field {
            if let Some(&prev) = index.get(&f) {
                return Err(Error::new(
                    ErrorKind::Duplicate,
                    format!(
                        "line {header_line}, column \"{}\": column {} already given by column \"{}\" (map one of them to \"ignore\" in a column map)",
                        excerpt(h),
                        canonical(f),
                        excerpt(&headers[prev])
                    ),
                ));
            }
            index.insert(f, i);
        }
    }
    for (i, a, b) in ambiguous {
        let col_is_nature = data.iter().all(|r| {
            r.cells
                .get(i)
                .is_none_or(|c| c.is_blank() || fields::nature(c).is_ok())
        });
        let pick = if !index.contains_key(&a) && col_is_nature {
            Some(a)
        } else if !index.contains_key(&b) {
            Some(b)
        } else {
            None
        };
        match pick {
            Some(f) => {
                index.insert(f, i);
                warn(
                    &mut warnings,
                    &file,
                    ReadWarningKind::AmbiguousHeader,
                    Some(header_line),
                    format!(
                        "column \"{}\" is read as {} (its content decides; map it in a column map to choose)",
                        excerpt(&headers[i]),
                        canonical(f)
                    ),
                );
            }
            None => unused.push(i),
        }
    }
    for i in headers.len()..width {
        if data
            .iter()
            .any(|r| r.cells.get(i).is_some_and(|c| !c.is_blank()))
        {
            // Reported as row errors ("beyond the header").
            let _ = i;
        }
    }

    // Required columns.
    let mut missing = Vec::new();
    let seen = || {
        headers
            .iter()
            .filter(|h| !h.is_empty())
            .map(|h| format!("\"{}\"", excerpt(h)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for f in [
        Field::Label,
        Field::Nature,
        Field::Amount,
        Field::LaunchDate,
    ] {
        if index.contains_key(&f)
            || (f == Field::Amount && index.contains_key(&Field::AnnualAmount))
        {
            continue;
        }
        let also = if f == Field::Amount {
            format!(
                " (or an annual amount: {})",
                aliases(Field::AnnualAmount).join(", ")
            )
        } else {
            String::new()
        };
        missing.push(format!(
            "required column \"{}\" (or \"{}\") is missing; headers looked for: {}{also}",
            canonical(f),
            french(f),
            aliases(f).join(", ")
        ));
    }
    if !missing.is_empty() {
        return Err(Error::new(
            ErrorKind::Missing,
            format!(
                "line {header_line}: {}; headers seen: {}",
                missing.join("; "),
                seen()
            ),
        ));
    }

    // Unused columns.
    let unused_named: Vec<String> = unused
        .iter()
        .filter_map(|&i| {
            let h = &headers[i];
            let has_data = data
                .iter()
                .any(|r| r.cells.get(i).is_some_and(|c| !c.is_blank()));
            if h.is_empty() {
                has_data.then(|| format!("column {} (no header)", i + 1))
            } else {
                let k = header_key(h);
                let note = if k.split('_').any(|w| w == "ttc") {
                    " (amounts are read excluding VAT: a TTC column is not used)"
                } else {
                    ""
                };
                Some(format!("\"{}\"{note}", excerpt(h)))
            }
        })
        .collect();
    if !unused_named.is_empty() {
        warn(
            &mut warnings,
            &file,
            ReadWarningKind::UnusedColumns,
            Some(header_line),
            format!(
                "{} column(s) not used: {} (map them in a column map to use them, or to \"ignore\" to silence this)",
                unused_named.len(),
                unused_named.join(", ")
            ),
        );
    }
    let cols = Columns { headers, index };
    if !cols.index.contains_key(&Field::Id) {
        warn(
            &mut warnings,
            &file,
            ReadWarningKind::GeneratedIds,
            Some(header_line),
            "no id column: each line is named after its row (L<line>)".to_string(),
        );
    }

    // The number convention: per column, from its unambiguous cells, else the file's.
    let amount_fields = [Field::Amount, Field::AnnualAmount, Field::AwardCriteria];
    let mut votes: BTreeMap<Field, ConventionVotes> = BTreeMap::new();
    let mut file_votes = ConventionVotes::default();
    for f in [Field::Amount, Field::AnnualAmount] {
        if let Some(&i) = cols.index.get(&f) {
            let v = votes.entry(f).or_default();
            for r in data {
                if let Some(Cell::Text(t)) = r.cells.get(i) {
                    v.add(t);
                    file_votes.add(t);
                }
            }
        }
    }
    let file_convention = file_votes.decide(options.declared_convention());
    let convention_of = |f: Field| -> Option<NumberConvention> {
        votes
            .get(&f)
            .map_or(file_convention, |v| v.decide(file_convention))
    };
    for f in [Field::Amount, Field::AnnualAmount] {
        if let (Some(v), Some(conv), Some(&i)) =
            (votes.get(&f), convention_of(f), cols.index.get(&f))
        {
            if v.ambiguous() > 0 {
                let how = match conv {
                    NumberConvention::DecimalComma => "a decimal comma (\"250.000\" is 250000)",
                    NumberConvention::DecimalPoint => "a decimal point (\"250.000\" is 250)",
                };
                warn(
                    &mut warnings,
                    &file,
                    ReadWarningKind::NumberConvention,
                    None,
                    format!(
                        "column \"{}\": {} amount(s) that read two ways were read with {how}, the convention of the file",
                        excerpt(&cols.headers[i]),
                        v.ambiguous()
                    ),
                );
            }
        }
    }
    let _ = amount_fields;

    // The rows.
    let mut errors = Errors {
        file: file.clone(),
        list: Vec::new(),
        not_listed: 0,
        limit: options.error_limit(),
    };
    let mut counts = RowCounts::default();
    let mut lines: Vec<PlanLine> = Vec::new();
    let mut origins: Vec<Origin> = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut annual_lines: Vec<u64> = Vec::new();
    let mut period_lines: BTreeMap<Field, Vec<u64>> = BTreeMap::new();
    let mut total_lines: Vec<u64> = Vec::new();
    let ctx = RowContext {
        cols: &cols,
        amount_conv: convention_of(Field::Amount),
        annual_conv: convention_of(Field::AnnualAmount),
        file_conv: file_convention,
    };
    for row in data {
        counts.read += 1;
        if row.problem.is_none() && row.cells.iter().all(Cell::is_blank) {
            counts.blank += 1;
            continue;
        }
        if row.problem.is_none() && is_total_row(row, &cols) {
            counts.skipped += 1;
            total_lines.push(row.line);
            continue;
        }
        let before = errors.list.len() as u64 + errors.not_listed;
        let parsed = parse_row(row, &ctx, &mut errors, &mut annual_lines, &mut period_lines);
        let failed = errors.list.len() as u64 + errors.not_listed > before;
        match parsed {
            Some(line) if !failed => {
                if let Some(&first) = first_line.get(&line.id) {
                    errors.push(
                        row.line,
                        cols.cell(row, Field::Id).map(|(_, h)| h),
                        &Error::new(
                            ErrorKind::Duplicate,
                            format!(
                                "line id \"{}\" is already used on line {first}",
                                excerpt(&line.id)
                            ),
                        ),
                    );
                    counts.rejected += 1;
                    continue;
                }
                first_line.insert(line.id.clone(), row.line);
                counts.accepted += 1;
                lines.push(line);
                origins.push(Origin {
                    file: file.clone(),
                    line: row.line,
                });
            }
            _ => counts.rejected += 1,
        }
    }
    if !total_lines.is_empty() {
        warn(
            &mut warnings,
            &file,
            ReadWarningKind::TotalRows,
            None,
            format!(
                "line(s) {} are totals, not purchases: skipped",
                some_lines(&total_lines)
            ),
        );
    }
    if !annual_lines.is_empty() {
        warn(
            &mut warnings,
            &file,
            ReadWarningKind::AnnualAmounts,
            None,
            format!(
                "line(s) {}: the amount is the annual amount × the duration in years (R2121-1: the value of the whole duration), rounded half up to the cent",
                some_lines(&annual_lines)
            ),
        );
    }
    for (f, ls) in &period_lines {
        let h = cols.index.get(f).map_or("", |&i| cols.headers[i].as_str());
        warn(
            &mut warnings,
            &file,
            ReadWarningKind::PeriodDates,
            None,
            format!(
                "column \"{}\", line(s) {}: a month or a quarter is read as its first day",
                excerpt(h),
                some_lines(ls)
            ),
        );
    }
    if options.is_lenient() && counts.rejected > 0 {
        warn(
            &mut warnings,
            &file,
            ReadWarningKind::RejectedRows,
            None,
            format!(
                "{} row(s) rejected and left out of the programme (lenient mode)",
                counts.rejected
            ),
        );
    }
    Ok(ProgrammeRead {
        programme: Programme { buyer, lines },
        origins,
        warnings,
        errors: errors.list,
        errors_not_listed: errors.not_listed,
        counts,
        lenient: options.is_lenient(),
        max_errors: options.error_limit(),
    })
}

struct RowContext<'a> {
    cols: &'a Columns,
    amount_conv: Option<NumberConvention>,
    annual_conv: Option<NumberConvention>,
    file_conv: Option<NumberConvention>,
}

/// Parses one row into a line, pushing every cell error; `None` when a required value is
/// missing or wrong.
fn parse_row(
    row: &Row,
    ctx: &RowContext<'_>,
    errors: &mut Errors,
    annual_lines: &mut Vec<u64>,
    period_lines: &mut BTreeMap<Field, Vec<u64>>,
) -> Option<PlanLine> {
    let cols = ctx.cols;
    let line_no = row.line;
    let mut ok = true;
    if let Some(p) = &row.problem {
        let col = cols
            .headers
            .get(row.cells.len().saturating_sub(1))
            .map(String::as_str);
        errors.push(line_no, col, &Error::new(ErrorKind::Parse, p.clone()));
        return None;
    }
    if let Some((i, c)) = row
        .cells
        .iter()
        .enumerate()
        .skip(cols.headers.len())
        .find(|(_, c)| !c.is_blank())
    {
        errors.push(
            line_no,
            None,
            &Error::new(
                ErrorKind::Parse,
                format!(
                    "value \"{}\" in column {} lies beyond the {} columns of the header",
                    excerpt(&c.text()),
                    i + 1,
                    cols.headers.len()
                ),
            ),
        );
        ok = false;
    }
    // Runs a parser on a field's cell (when the column exists and the cell is not blank),
    // recording its error.
    macro_rules! opt {
        ($field:expr, $parse:expr) => {{
            match cols.cell(row, $field) {
                Some((c, h)) if !c.is_blank() => match $parse(c) {
                    Ok(v) => Some(v),
                    Err(e) => {
                        let e: Error = e;
                        errors.push(line_no, Some(h), &short(e, &c.text()));
                        ok = false;
                        None
                    }
                },
                _ => None,
            }
        }};
    }
    let require = |f: Field, errors: &mut Errors| -> bool {
        match cols.cell(row, f) {
            Some((c, _)) if !c.is_blank() => true,
            Some((_, h)) => {
                errors.push(
                    line_no,
                    Some(h),
                    &Error::new(ErrorKind::Missing, "the value is empty"),
                );
                false
            }
            None => false,
        }
    };
    let id = if cols.index.contains_key(&Field::Id) {
        if require(Field::Id, errors) {
            opt!(Field::Id, |c: &Cell| Ok::<_, Error>(c.text().into_owned()))
        } else {
            ok = false;
            None
        }
    } else {
        Some(format!("L{line_no}"))
    };
    let label = if require(Field::Label, errors) {
        opt!(Field::Label, |c: &Cell| Ok::<_, Error>(
            c.text().into_owned()
        ))
    } else {
        ok = false;
        None
    };
    let nature = if require(Field::Nature, errors) {
        opt!(Field::Nature, fields::nature)
    } else {
        ok = false;
        None
    };
    let launch = if require(Field::LaunchDate, errors) {
        opt!(Field::LaunchDate, fields::date)
    } else {
        ok = false;
        None
    };
    let months = opt!(Field::Duration, |c| fields::duration(
        c,
        DurationUnit::Months
    ));
    let years = opt!(Field::DurationYears, |c| fields::duration(
        c,
        DurationUnit::Years
    ));
    let duration_months = months.or(years);
    let total = opt!(Field::Amount, |c| fields::amount(c, ctx.amount_conv));
    let annual = opt!(Field::AnnualAmount, |c| fields::amount(c, ctx.annual_conv));
    let amount = match (total, annual) {
        (Some(a), _) => Some(a),
        (None, Some(y)) => match duration_months {
            Some(m) => {
                let v = y
                    .as_decimal()
                    .checked_mul(Decimal::from(m))
                    .map(|v| v / Decimal::from(12));
                match v.map(|v| Amount::rounded(v, RoundingStrategy::MidpointAwayFromZero)) {
                    Some(Ok(a)) => {
                        annual_lines.push(line_no);
                        Some(a)
                    }
                    Some(Err(e)) => {
                        let h = cols.cell(row, Field::AnnualAmount).map(|(_, h)| h);
                        errors.push(line_no, h, &e);
                        ok = false;
                        None
                    }
                    None => {
                        let h = cols.cell(row, Field::AnnualAmount).map(|(_, h)| h);
                        errors.push(
                            line_no,
                            h,
                            &Error::new(
                                ErrorKind::Overflow,
                                format!("annual amount \"{y}\" × {m} months overflows"),
                            ),
                        );
                        ok = false;
                        None
                    }
                }
            }
            None => {
                if ok {
                    let h = cols.cell(row, Field::AnnualAmount).map(|(_, h)| h);
                    errors.push(
                        line_no,
                        h,
                        &Error::new(
                            ErrorKind::Missing,
                            format!(
                                "annual amount \"{y}\" needs a duration to give the value of the whole contract (R2121-1): fill the duration column"
                            ),
                        ),
                    );
                }
                ok = false;
                None
            }
        },
        (None, None) => {
            let blank = |f: Field| cols.cell(row, f).is_none_or(|(c, _)| c.is_blank());
            if blank(Field::Amount) && blank(Field::AnnualAmount) {
                let f = if cols.index.contains_key(&Field::Amount) {
                    Field::Amount
                } else {
                    Field::AnnualAmount
                };
                let h = cols.cell(row, f).map(|(_, h)| h);
                errors.push(
                    line_no,
                    h,
                    &Error::new(ErrorKind::Missing, "the value is empty"),
                );
            }
            ok = false;
            None
        }
    };
    let cpv = opt!(Field::Cpv, fields::cpv);
    let innovative = opt!(Field::Innovative, fields::flag).unwrap_or(false);
    let specific = opt!(Field::SpecificServices, fields::flag).unwrap_or(false);
    let defence = opt!(Field::DefenceSecurity, fields::flag).unwrap_or(false);
    let confidential = opt!(Field::Confidential, fields::flag).unwrap_or(false);
    let considerations = opt!(Field::Considerations, fields::considerations).unwrap_or_default();
    let current_end = opt!(Field::CurrentEnd, fields::date);
    let need = opt!(Field::NeedDate, fields::date);
    for (f, d) in [
        (Field::LaunchDate, launch),
        (Field::CurrentEnd, current_end),
        (Field::NeedDate, need),
    ] {
        if let Some((_, DatePrecision::Period)) = d {
            period_lines.entry(f).or_default().push(line_no);
        }
    }
    let status = opt!(Field::Status, fields::status).unwrap_or(LineStatus::ToLaunch);
    let central = opt!(Field::CentralPurchasingBody, |c| Ok::<_, Error>(
        fields::intermediary(c, "centrale d'achat")
    ))
    .flatten();
    let group = opt!(Field::PurchasingGroup, |c| Ok::<_, Error>(
        fields::intermediary(c, "groupement de commandes")
    ))
    .flatten();
    let consultation = opt!(Field::Consultation, |c: &Cell| Ok::<_, Error>(
        c.text().into_owned()
    ));
    let lot_number = opt!(Field::Lot, fields::lot_number);
    let no_competition = opt!(Field::NoCompetition, fields::no_competition);
    let award_criteria = opt!(Field::AwardCriteria, |c| fields::award_criteria(
        c,
        ctx.file_conv
    ));
    let exemption_case = opt!(Field::SocialExemption, fields::social_exemption_case);
    let exemption_reason = opt!(Field::SocialExemptionReason, |c: &Cell| Ok::<_, Error>(
        c.text().into_owned()
    ));
    let departements = opt!(Field::Departements, fields::departements).unwrap_or_default();
    let contract_ids =
        opt!(Field::ContractIds, |c| Ok::<_, Error>(fields::id_list(c))).unwrap_or_default();

    // Checks across cells.
    let cross = |f: Field, e: Error, errors: &mut Errors| {
        let h = cols.cell(row, f).map(|(_, h)| h);
        errors.push(line_no, h, &e);
    };
    let intermediary = match (central, group) {
        (Some(_), Some(_)) => {
            cross(
                Field::PurchasingGroup,
                Error::new(
                    ErrorKind::Inconsistent,
                    "a line is bought through a central purchasing body or a purchasing group, not both",
                ),
                errors,
            );
            ok = false;
            None
        }
        (Some(name), None) => Some(Intermediary {
            kind: IntermediaryKind::CentralPurchasingBody,
            name,
        }),
        (None, Some(name)) => Some(Intermediary {
            kind: IntermediaryKind::PurchasingGroup,
            name,
        }),
        (None, None) => None,
    };
    let lot = match (consultation, lot_number) {
        (Some(consultation), Some(number)) => Some(Lot {
            consultation,
            number,
        }),
        (None, None) => None,
        (Some(_), None) if !cols.index.contains_key(&Field::Lot) => {
            cross(
                Field::Consultation,
                Error::new(
                    ErrorKind::Missing,
                    "a consultation needs a lot number: add a lot column",
                ),
                errors,
            );
            ok = false;
            None
        }
        (Some(_), None) => {
            cross(
                Field::Lot,
                Error::new(
                    ErrorKind::Missing,
                    "the line names a consultation but no lot number",
                ),
                errors,
            );
            ok = false;
            None
        }
        (None, Some(n)) => {
            cross(
                Field::Lot,
                Error::new(
                    ErrorKind::Missing,
                    format!("lot {n} needs the consultation it belongs to (a consultation column)"),
                ),
                errors,
            );
            ok = false;
            None
        }
    };
    let social_exemption = match (exemption_case, exemption_reason) {
        (None, None) => None,
        (case, Some(reason)) => Some(SocialExemption {
            case: case.unwrap_or(crate::law::context::SocialExemptionCase::Other),
            reason,
        }),
        (Some(_), None) => {
            cross(
                Field::SocialExemption,
                Error::new(
                    ErrorKind::Missing,
                    "a social exemption needs its reason (column social_exemption_reason / motif exemption sociale)",
                ),
                errors,
            );
            ok = false;
            None
        }
    };
    if specific && nature.is_some_and(|n| n != Nature::Services) {
        cross(
            Field::SpecificServices,
            Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "specific services (R2123-1 3°) apply to services, not {}",
                    nature.map_or("", |n| n.as_str())
                ),
            ),
            errors,
        );
        ok = false;
    }
    if !ok {
        return None;
    }
    let (id, label, nature, amount, (launch_date, _)) = (id?, label?, nature?, amount?, launch?);
    let mut line = PlanLine::new(id, label, nature, amount, launch_date);
    line.family = opt_field(row, cols, Field::Family);
    line.cpv = cpv;
    line.duration_months = duration_months;
    line.service = opt_field(row, cols, Field::Service);
    line.operation = opt_field(row, cols, Field::Operation);
    line.innovative = innovative;
    line.specific_services = specific;
    line.considerations = considerations;
    line.current_end_date = current_end.map(|d| d.0);
    line.need_date = need.map(|d| d.0);
    line.status = status;
    line.intermediary = intermediary;
    line.lot = lot;
    line.no_competition = no_competition;
    line.award_criteria = award_criteria;
    line.social_exemption = social_exemption;
    line.defence_security = defence;
    line.confidential = confidential;
    line.departements = departements;
    line.contract_ids = contract_ids;
    // Checks the model holds for any line (dates, lots…), so that a spreadsheet cannot build
    // what JSON would refuse.
    let problems = line_problems(&line);
    if !problems.is_empty() {
        for (field, e) in problems {
            let f = crate::programme::columns::field_named(field);
            let h = f.and_then(|f| cols.cell(row, f)).map(|(_, h)| h);
            errors.push(line_no, h, &e);
        }
        return None;
    }
    Some(line)
}

fn opt_field(row: &Row, cols: &Columns, f: Field) -> Option<String> {
    cols.cell(row, f).and_then(|(c, _)| fields::opt_text(c))
}

/// The top-level fields of a programme's JSON form.
const PROGRAMME_FIELDS: [&str; 2] = ["buyer", "lines"];

/// Every field of a line's JSON form.
pub(crate) const LINE_FIELDS: [&str; 25] = [
    "id",
    "label",
    "family",
    "cpv",
    "nature",
    "amount",
    "launch_date",
    "duration_months",
    "service",
    "operation",
    "innovative",
    "specific_services",
    "considerations",
    "current_end_date",
    "need_date",
    "status",
    "intermediary",
    "lot",
    "no_competition",
    "award_criteria",
    "social_exemption",
    "defence_security",
    "confidential",
    "departements",
    "contract_ids",
];

/// Reads a programme's JSON form line by line, so that each error names the line (position
/// and id) and the field.
pub(crate) fn read_json(
    text: &str,
    file: Option<Arc<str>>,
    options: &ReadOptions,
) -> Result<ProgrammeRead> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| Error::new(ErrorKind::Parse, format!("programme JSON: {e}")).with_source(e))?;
    let Value::Object(mut top) = value else {
        return Err(Error::new(
            ErrorKind::Parse,
            "programme JSON: the document is not an object {\"buyer\": …, \"lines\": […]}",
        ));
    };
    let mut warnings = Vec::new();
    let unknown: Vec<String> = top
        .keys()
        .filter(|k| !PROGRAMME_FIELDS.contains(&k.as_str()))
        .map(|k| format!("\"{}\"", excerpt(k)))
        .collect();
    if !unknown.is_empty() {
        warn(
            &mut warnings,
            &file,
            ReadWarningKind::UnusedColumns,
            None,
            format!("programme JSON: field(s) not used: {}", unknown.join(", ")),
        );
    }
    let file_buyer = match top.remove("buyer") {
        Some(b) => Some(
            serde_path_to_error::deserialize::<_, Buyer>(&b).map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner();
                Error::new(
                    ErrorKind::Parse,
                    format!(
                        "programme JSON: buyer, field \"{path}\": {}",
                        excerpt(&inner.to_string())
                    ),
                )
                .with_source(inner)
            })?,
        ),
        None => None,
    };
    let buyer = match (&options.buyer, file_buyer) {
        (Some(given), Some(own)) => {
            if *given != own {
                warn(
                    &mut warnings,
                    &file,
                    ReadWarningKind::BuyerReplaced,
                    None,
                    format!(
                        "the programme's buyer \"{}\" is replaced by the buyer profile \"{}\"",
                        excerpt(&own.name),
                        excerpt(&given.name)
                    ),
                );
            }
            given.clone()
        }
        (Some(given), None) => given.clone(),
        (None, Some(own)) => own,
        (None, None) => {
            return Err(Error::new(
                ErrorKind::Missing,
                "programme JSON: field \"buyer\" is missing (or give a buyer profile)",
            ));
        }
    };
    let lines_value = top.remove("lines").ok_or_else(|| {
        Error::new(
            ErrorKind::Missing,
            "programme JSON: field \"lines\" is missing",
        )
    })?;
    let Value::Array(items) = lines_value else {
        return Err(Error::new(
            ErrorKind::Parse,
            "programme JSON: field \"lines\" is not an array",
        ));
    };
    let mut errors = Errors {
        file: file.clone(),
        list: Vec::new(),
        not_listed: 0,
        limit: options.error_limit(),
    };
    let mut counts = RowCounts::default();
    let mut lines = Vec::with_capacity(items.len());
    let mut origins = Vec::with_capacity(items.len());
    let mut first: HashMap<String, u64> = HashMap::new();
    let mut unknown_fields: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        let n = i as u64 + 1;
        counts.read += 1;
        let id = item.get("id").and_then(Value::as_str);
        if let Value::Object(o) = item {
            for k in o.keys() {
                if !LINE_FIELDS.contains(&k.as_str()) {
                    unknown_fields
                        .entry(excerpt(k).into_owned())
                        .or_default()
                        .push(n);
                }
            }
        }
        let line: PlanLine = match serde_path_to_error::deserialize(item) {
            Ok(l) => l,
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                let field = (!path.is_empty() && path != ".").then_some(path);
                errors.push_json(
                    n,
                    id,
                    field.as_deref(),
                    ErrorKind::Parse,
                    &excerpt(&inner.to_string()),
                );
                counts.rejected += 1;
                continue;
            }
        };
        let problems = line_problems(&line);
        if !problems.is_empty() {
            for (field, e) in problems {
                errors.push_json(n, id, Some(field), e.kind(), &e.to_string());
            }
            counts.rejected += 1;
            continue;
        }
        if let Some(&f) = first.get(&line.id) {
            errors.push_json(
                n,
                id,
                Some("id"),
                ErrorKind::Duplicate,
                &format!("id \"{}\" is already used by line {f}", excerpt(&line.id)),
            );
            counts.rejected += 1;
            continue;
        }
        first.insert(line.id.clone(), n);
        counts.accepted += 1;
        lines.push(line);
        origins.push(Origin {
            file: file.clone(),
            line: n,
        });
    }
    if !unknown_fields.is_empty() {
        warn(
            &mut warnings,
            &file,
            ReadWarningKind::UnusedColumns,
            None,
            format!(
                "programme JSON: line field(s) not used: {}",
                unknown_fields
                    .iter()
                    .map(|(k, ls)| format!("\"{k}\" (line(s) {})", some_lines(ls)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    Ok(ProgrammeRead {
        programme: Programme { buyer, lines },
        origins,
        warnings,
        errors: errors.list,
        errors_not_listed: errors.not_listed,
        counts,
        lenient: options.is_lenient(),
        max_errors: options.error_limit(),
    })
}

impl Errors {
    /// A JSON line's error: `line 3 (id "F26-02"), field "amount": …`.
    fn push_json(
        &mut self,
        n: u64,
        id: Option<&str>,
        field: Option<&str>,
        kind: ErrorKind,
        msg: &str,
    ) {
        if self.list.len() >= self.limit {
            self.not_listed += 1;
            return;
        }
        self.list.push(RowError {
            file: self.file.as_deref().map(str::to_string),
            line: n,
            id: id.map(str::to_string),
            column: None,
            field: field.map(str::to_string),
            kind,
            message: msg.to_string(),
        });
    }
}
