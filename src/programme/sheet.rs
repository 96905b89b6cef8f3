//! Tables as buyers' files hold them: the rows and typed cells of a CSV export (UTF-8 with or
//! without BOM, UTF-16 with BOM, or Windows-1252, detected; `sep=` first line; `;`, `,`, tab or
//! `|`) or of a workbook sheet (xlsx, xls, xlsb, ods, with the `spreadsheet` feature), each
//! row with its physical line number.

use std::borrow::Cow;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::{Error, ErrorKind, Result};

/// One cell as read: text from CSV; typed values from a workbook.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "spreadsheet"), allow(dead_code))]
pub(crate) enum Cell {
    /// No value.
    Empty,
    /// Text (every CSV cell; text cells of workbooks).
    Text(String),
    /// A numeric workbook cell, as the shortest decimal that round-trips its binary value.
    Number(Decimal),
    /// A date (or date-time) workbook cell.
    Date(NaiveDate),
    /// A boolean workbook cell.
    Bool(bool),
    /// A workbook error value (`#REF!`, `#DIV/0!`…) or a value the reader cannot represent.
    Invalid(String),
}

impl Cell {
    /// Whether the cell holds nothing (or only blanks).
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, trimmed (numbers in their decimal form, dates in ISO form).
    pub(crate) fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(t) => Cow::Borrowed(t.trim()),
            Cell::Number(d) => Cow::Owned(d.normalize().to_string()),
            Cell::Date(d) => Cow::Owned(d.to_string()),
            Cell::Bool(b) => Cow::Owned(b.to_string()),
            Cell::Invalid(e) => Cow::Borrowed(e.as_str()),
        }
    }
}

/// A row of a table with the line (CSV) or row (workbook) number where it starts, counted
/// from 1 as a text editor or a spreadsheet shows it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// Physical line (CSV) or sheet row (workbook) number.
    pub line: u64,
    /// The cells, in column order.
    pub cells: Vec<Cell>,
    /// A structural problem of the row (an unterminated quote), reported as a row error.
    pub problem: Option<String>,
}

/// How the bytes of a text file were decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextEncoding {
    Utf8,
    Utf16,
    Windows1252,
}

/// The rows of a file with what was learnt while reading it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    /// Every row, blank ones included.
    pub rows: Vec<Row>,
    /// Notes for the reader's warnings (encoding, sheet chosen, `sep=` line…).
    pub notes: Vec<String>,
    /// Whether the cells came from a workbook (typed) rather than text.
    pub typed: bool,
}

/// Decodes a text file: UTF-8 (BOM optional) when the bytes are valid UTF-8, UTF-16 when a
/// UTF-16 BOM starts the file, otherwise Windows-1252 (what French Excel writes for "CSV
/// (séparateur : point-virgule)"), with a note saying so.
///
/// # Errors
/// [`ErrorKind::Parse`] for bytes that are not text (NUL bytes without a UTF-16 BOM: a
/// workbook or binary file).
pub(crate) fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, TextEncoding, Option<String>)> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        if enc == encoding_rs::UTF_8 {
            return match std::str::from_utf8(&bytes[bom..]) {
                Ok(s) => Ok((Cow::Borrowed(s), TextEncoding::Utf8, None)),
                Err(e) => {
                    let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
                    let at = e.valid_up_to() + bom;
                    let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
                    Ok((
                        Cow::Owned(text.into_owned()),
                        TextEncoding::Utf8,
                        Some(format!(
                            "the file starts with a UTF-8 byte-order mark but has bytes that are not UTF-8 \
                             (first at byte {at}, line {line}): they were replaced by \u{fffd}"
                        )),
                    ))
                }
            };
        }
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return Ok((Cow::Owned(text.into_owned()), TextEncoding::Utf16, None));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        if s.contains('\0') {
            return Err(not_text());
        }
        return Ok((Cow::Borrowed(s), TextEncoding::Utf8, None));
    }
    if bytes.contains(&0) {
        return Err(not_text());
    }
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    Ok((
        Cow::Owned(text.into_owned()),
        TextEncoding::Windows1252,
        Some(
            "the file is not UTF-8: it was read as Windows-1252 (the encoding of French Excel's \
             \"CSV (séparateur : point-virgule)\")"
                .to_string(),
        ),
    ))
}

fn not_text() -> Error {
    Error::new(
        ErrorKind::Parse,
        "the file is not text (it holds NUL bytes): a workbook (xlsx, ods) or a binary file cannot be read as CSV",
    )
}

/// The delimiters a CSV file may use, in order of preference on a tie.
const DELIMITERS: [u8; 4] = [b';', b'\t', b',', b'|'];

/// Reads a CSV text into rows: the `sep=X` first line (Excel's) sets the delimiter, otherwise
/// it is the candidate (`;`, tab, `,`, `|`) most frequent outside quotes on one of the first
/// 30 lines. Quotes follow RFC 4180 (`""` inside a quoted cell is a quote); line breaks are
/// `\r\n`, `\n` or `\r`; every row carries the physical line it starts on. An unterminated
/// quote makes its row end at the end of the line where the quote opened, with the problem
/// recorded on the row; reading goes on at the next line.
pub(crate) fn csv_table(bytes: &[u8]) -> Result<Table> {
    let (text, encoding, note) = decode(bytes)?;
    let mut notes: Vec<String> = note.into_iter().collect();
    let mut body: &str = &text;
    let mut first_line = 1u64;
    let mut delimiter = None;
    // Excel's "sep=;" first line.
    let first = body.split(['\n', '\r']).next().unwrap_or("");
    let sep = first.trim().trim_matches('"');
    if sep.len() == 5 && sep.is_char_boundary(4) && sep[..4].eq_ignore_ascii_case("sep=") {
        let d = sep.as_bytes()[4];
        if d.is_ascii() {
            delimiter = Some(d);
            body = skip_line(body);
            first_line = 2;
        }
    }
    let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(body));
    if encoding == TextEncoding::Utf16 {
        notes.push("the file is UTF-16 (Excel's \"Unicode text\")".to_string());
    }
    let rows = split_rows(body, delimiter, first_line);
    Ok(Table {
        rows,
        notes,
        typed: false,
    })
}

fn skip_line(s: &str) -> &str {
    match s.find(['\n', '\r']) {
        None => "",
        Some(i) => {
            let rest = &s[i..];
            rest.strip_prefix("\r\n")
                .or_else(|| rest.strip_prefix('\n'))
                .or_else(|| rest.strip_prefix('\r'))
                .unwrap_or(rest)
        }
    }
}

/// The delimiter most frequent outside quotes on one line among the first 30 (ties: `;`,
/// tab, `,`, `|`), `,` when none occurs.
pub(crate) fn detect_delimiter(text: &str) -> u8 {
    let mut best = [0usize; DELIMITERS.len()];
    let mut in_quotes = false;
    let mut counts = [0usize; DELIMITERS.len()];
    let mut lines = 0;
    for &b in text.as_bytes() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => {
                for (m, c) in best.iter_mut().zip(&mut counts) {
                    *m = (*m).max(*c);
                    *c = 0;
                }
                lines += 1;
                if lines >= 30 {
                    break;
                }
            }
            _ if !in_quotes => {
                if let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    for (m, c) in best.iter_mut().zip(&counts) {
        *m = (*m).max(*c);
    }
    let mut pick = None;
    let mut top = 0;
    for (i, &m) in best.iter().enumerate() {
        if m > top {
            top = m;
            pick = Some(i);
        }
    }
    pick.map_or(b',', |i| DELIMITERS[i])
}

/// Splits a CSV text into rows (see [`csv_table`]).
pub(crate) fn split_rows(text: &str, delimiter: u8, first_line: u64) -> Vec<Row> {
    let b = text.as_bytes();
    let n = b.len();
    let mut rows = Vec::new();
    let mut i = 0usize;
    let mut line = first_line;
    // Length of the line break at `j` (0 if none).
    let eol = |j: usize| -> usize {
        match b.get(j) {
            Some(b'\n') => 1,
            Some(b'\r') => {
                if b.get(j + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                }
            }
            _ => 0,
        }
    };
    while i < n {
        let row_line = line;
        let mut cells: Vec<Cell> = Vec::new();
        let mut problem = None;
        loop {
            // One cell starting at i.
            if b.get(i) == Some(&b'"') {
                let open_line = line;
                let open_at = i;
                let mut value = String::new();
                let mut j = i + 1;
                let mut start = j;
                let mut closed = false;
                let mut lines_inside = 0u64;
                while j < n {
                    match b[j] {
                        b'"' => {
                            value.push_str(&text[start..j]);
                            if b.get(j + 1) == Some(&b'"') {
                                value.push('"');
                                j += 2;
                                start = j;
                            } else {
                                j += 1;
                                closed = true;
                                break;
                            }
                        }
                        b'\n' | b'\r' => {
                            let k = eol(j);
                            lines_inside += 1;
                            j += k;
                        }
                        _ => j += 1,
                    }
                }
                if !closed {
                    // Unterminated: the cell is the rest of the opening line, the row ends
                    // there, and reading resumes on the next line.
                    let mut end = open_at + 1;
                    while end < n && eol(end) == 0 {
                        end += 1;
                    }
                    cells.push(Cell::Text(text[open_at + 1..end].to_string()));
                    problem = Some(format!(
                        "unterminated quote: the quote that opens a cell on line {open_line} is never closed"
                    ));
                    i = end + eol(end);
                    line = open_line + 1;
                    break;
                }
                line += lines_inside;
                // Characters after the closing quote up to the delimiter are kept as written.
                let rest_start = j;
                while j < n && b[j] != delimiter && eol(j) == 0 {
                    j += 1;
                }
                value.push_str(&text[rest_start..j]);
                cells.push(Cell::Text(value));
                i = j;
            } else {
                let mut j = i;
                while j < n && b[j] != delimiter && eol(j) == 0 {
                    j += 1;
                }
                cells.push(if j == i {
                    Cell::Empty
                } else {
                    Cell::Text(text[i..j].to_string())
                });
                i = j;
            }
            if i < n && b[i] == delimiter {
                i += 1;
                if i >= n {
                    cells.push(Cell::Empty);
                    break;
                }
                continue;
            }
            let k = eol(i);
            i += k;
            if k > 0 {
                line += 1;
            }
            break;
        }
        rows.push(Row {
            line: row_line,
            cells,
            problem,
        });
    }
    rows
}

/// The shortest decimal that reads back as `f` (what a spreadsheet shows for a number cell).
#[cfg_attr(not(feature = "spreadsheet"), allow(dead_code))]
pub(crate) fn decimal_of_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    let text = format!("{f}");
    Decimal::from_str_exact(&text).ok()
}

/// A date from an Excel serial number (days since 1899-12-30, or since 1904-01-01 in the 1904
/// system); the time of day is dropped.
pub(crate) fn excel_serial_date(serial: f64, is_1904: bool) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..3_000_000.0).contains(&serial) {
        return None;
    }
    let base = if is_1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    // Excel's serial 60 is the non-existent 1900-02-29; earlier serials are one day off.
    let days = serial.floor() as i64;
    let days = if !is_1904 && days < 61 {
        days + 1
    } else {
        days
    };
    base.checked_add_signed(chrono::Duration::days(days))
}

/// The sheets of a workbook and, for the one read, its rows.
#[cfg(feature = "spreadsheet")]
pub(crate) mod workbook {
    use std::io::Cursor;

    use calamine::{Data, Reader};

    use super::{Cell, Row, Table, decimal_of_f64, excel_serial_date};
    use crate::error::{Error, ErrorKind, Result};
    use crate::util::text::excerpt;

    /// Which workbook format.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum Kind {
        Xls,
        Xlsb,
        Ods,
        Any,
    }

    fn open(bytes: &[u8], kind: Kind) -> Result<calamine::Sheets<Cursor<&[u8]>>> {
        let cur = Cursor::new(bytes);
        let r = match kind {
            Kind::Xls => calamine::open_workbook_from_rs(cur)
                .map(calamine::Sheets::Xls)
                .map_err(calamine::Error::Xls),
            Kind::Xlsb => calamine::open_workbook_from_rs(cur)
                .map(calamine::Sheets::Xlsb)
                .map_err(calamine::Error::Xlsb),
            Kind::Ods => calamine::open_workbook_from_rs(cur)
                .map(calamine::Sheets::Ods)
                .map_err(calamine::Error::Ods),
            Kind::Any => calamine::open_workbook_auto_from_rs(cur),
        };
        r.map_err(|e| {
            Error::new(
                ErrorKind::Parse,
                format!(
                    "the workbook cannot be opened ({})",
                    excerpt(&e.to_string())
                ),
            )
            .with_source(e)
        })
    }

    /// Reads one sheet: the one named `sheet` (compared without case), else the first sheet
    /// for which `is_table` holds on one of its first rows, else the first sheet.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] when the bytes are not a workbook of that kind or a sheet cannot be
    /// read; [`ErrorKind::Missing`] when `sheet` names no sheet (listing the sheets).
    pub(crate) fn read(
        bytes: &[u8],
        kind: Kind,
        sheet: Option<&str>,
        is_table: &dyn Fn(&[Cell]) -> bool,
    ) -> Result<Table> {
        // A malformed archive must never abort the caller: calamine is defended by
        // catch_unwind (it has no unsafe code; a panic there is a bug we turn into an error).
        let run = || -> Result<Table> {
            let mut book = open(bytes, kind)?;
            let names = book.sheet_names();
            if names.is_empty() {
                return Err(Error::new(ErrorKind::Missing, "the workbook has no sheet"));
            }
            let mut notes = Vec::new();
            let rows = match sheet {
                Some(want) => {
                    let name = names
                        .iter()
                        .find(|n| n.trim().eq_ignore_ascii_case(want.trim()))
                        .ok_or_else(|| {
                            Error::new(
                                ErrorKind::Missing,
                                format!(
                                    "sheet \"{}\" is not in the workbook; its sheets: {}",
                                    excerpt(want),
                                    names
                                        .iter()
                                        .map(|n| format!("\"{n}\""))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                            )
                        })?
                        .clone();
                    sheet_rows(&mut book, &name)?
                }
                None => {
                    let mut chosen = None;
                    for name in &names {
                        let rows = sheet_rows(&mut book, name)?;
                        if rows.iter().take(30).any(|r| is_table(&r.cells)) {
                            chosen = Some((name.clone(), rows));
                            break;
                        }
                    }
                    let (name, rows) = match chosen {
                        Some(c) => c,
                        None => (names[0].clone(), sheet_rows(&mut book, &names[0])?),
                    };
                    if names.len() > 1 {
                        notes.push(format!(
                            "read sheet \"{name}\" of the workbook's {} sheets ({})",
                            names.len(),
                            names
                                .iter()
                                .map(|n| format!("\"{n}\""))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                    }
                    rows
                }
            };
            Ok(Table {
                rows,
                notes,
                typed: true,
            })
        };
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
            Ok(r) => r,
            Err(_) => Err(Error::new(
                ErrorKind::Parse,
                "the workbook is malformed (its reader failed)",
            )),
        }
    }

    fn sheet_rows(book: &mut calamine::Sheets<Cursor<&[u8]>>, name: &str) -> Result<Vec<Row>> {
        let range = book.worksheet_range(name).map_err(|e| {
            Error::new(
                ErrorKind::Parse,
                format!(
                    "sheet \"{name}\" cannot be read ({})",
                    excerpt(&e.to_string())
                ),
            )
            .with_source(e)
        })?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut rows = Vec::with_capacity(range.height());
        for (i, r) in range.rows().enumerate() {
            let mut cells = Vec::with_capacity(col0 as usize + r.len());
            cells.extend(std::iter::repeat_n(Cell::Empty, col0 as usize));
            cells.extend(r.iter().map(cell));
            rows.push(Row {
                line: u64::from(row0) + i as u64 + 1,
                cells,
                problem: None,
            });
        }
        Ok(rows)
    }

    fn cell(d: &Data) -> Cell {
        match d {
            Data::Empty => Cell::Empty,
            Data::String(s) => Cell::Text(s.clone()),
            Data::Int(i) => Cell::Number((*i).into()),
            Data::Float(f) => decimal_of_f64(*f)
                .map(Cell::Number)
                .unwrap_or_else(|| Cell::Invalid(format!("{f}"))),
            Data::Bool(b) => Cell::Bool(*b),
            Data::DateTime(dt) => {
                if dt.is_datetime() {
                    let (y, m, d, ..) = dt.to_ymd_hms_milli();
                    chrono::NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
                        .or_else(|| excel_serial_date(dt.as_f64(), false))
                        .map(Cell::Date)
                        .unwrap_or_else(|| Cell::Invalid(format!("{}", dt.as_f64())))
                } else {
                    Cell::Invalid(format!("duration {}", dt.as_f64()))
                }
            }
            Data::DateTimeIso(s) => {
                let day = s.split('T').next().unwrap_or(s);
                chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                    .map(Cell::Date)
                    .unwrap_or_else(|_| Cell::Text(s.clone()))
            }
            Data::DurationIso(s) => Cell::Text(s.clone()),
            Data::Error(e) => Cell::Invalid(format!("{e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[Row]) -> Vec<(u64, Vec<String>)> {
        rows.iter()
            .map(|r| {
                (
                    r.line,
                    r.cells.iter().map(|c| c.text().into_owned()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn physical_lines_are_counted_on_crlf_files() {
        let rows = split_rows("a;b\r\n1;\"x\r\ny\"\r\n2;z\r\n", b';', 1);
        assert_eq!(
            texts(&rows),
            [
                (1, vec!["a".into(), "b".into()]),
                (2, vec!["1".into(), "x\r\ny".into()]),
                (4, vec!["2".into(), "z".into()]),
            ]
        );
    }

    #[test]
    fn an_unterminated_quote_ends_its_row_at_the_end_of_its_line() {
        let rows = split_rows("a,b\n1,\"open\n2,ok\n", b',', 1);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].line, 2);
        assert!(rows[1].problem.as_deref().unwrap().contains("line 2"));
        assert_eq!(texts(&rows[2..]), [(3, vec!["2".into(), "ok".into()])]);
    }

    #[test]
    fn a_short_first_line_with_multibyte_text_is_not_a_sep_line() {
        // Found by proptest: "\x01zœ" is 5 bytes whose 4th byte is inside "œ".
        let t = csv_table("\u{1}zœ\n".as_bytes()).unwrap();
        assert_eq!(t.rows.len(), 1);
        assert!(csv_table(b"sep=;\na;b\n").unwrap().rows[0].cells.len() == 2);
    }

    #[test]
    fn delimiter_detection() {
        assert_eq!(detect_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(detect_delimiter("a,b,c\n"), b',');
        assert_eq!(detect_delimiter("\"a;b\",c\n"), b',');
        assert_eq!(detect_delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(
            detect_delimiter("Programme, 2026\nid;label;nature;montant\n"),
            b';'
        );
    }

    #[test]
    fn excel_serials() {
        assert_eq!(
            excel_serial_date(46_023.0, false),
            NaiveDate::from_ymd_opt(2026, 1, 1)
        );
        assert_eq!(
            excel_serial_date(1.0, false),
            NaiveDate::from_ymd_opt(1900, 1, 1)
        );
        assert_eq!(excel_serial_date(f64::NAN, false), None);
    }

    #[test]
    fn windows_1252_is_detected() {
        let (t, enc, note) = decode(b"caf\xe9 \x80").unwrap();
        assert_eq!(t, "café €");
        assert_eq!(enc, TextEncoding::Windows1252);
        assert!(note.unwrap().contains("Windows-1252"));
        let (t, enc, _) = decode("\u{feff}é".as_bytes()).unwrap();
        assert_eq!((t.as_ref(), enc), ("é", TextEncoding::Utf8));
    }
}
