//! The cells of a spreadsheet export (CSV), for the readers that take a table of named
//! columns: byte-order mark, `;`/`,`/tab delimiter detected on the header line, headers
//! matched by alias after folding case and accents, line numbers kept for messages.

use std::io::Read;

use crate::error::{Error, ErrorKind, Result};
use crate::util::text::fold;

/// A table read from CSV: its header as written and its non-blank rows.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    /// The header cells as written (trimmed).
    pub headers: Vec<String>,
    /// Non-blank rows, in file order.
    pub rows: Vec<Row>,
}

/// One row of a [`Table`] with its line in the file (the header is line 1).
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// Line number in the file (1-based, the header being line 1).
    pub line: u64,
    /// The cells, trimmed.
    pub cells: Vec<String>,
}

impl Row {
    /// The cell of column `col` (empty when the row is short or the column absent).
    pub fn get(&self, col: Option<usize>) -> &str {
        col.and_then(|c| self.cells.get(c))
            .map_or("", |s| s.as_str())
    }
}

/// The key a header is compared by: folded (case, accents), blanks, `-`, `'` and `.` turned
/// into `_`, runs of `_` collapsed.
pub(crate) fn header_key(text: &str) -> String {
    let folded = fold(text);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        let c = if matches!(c, ' ' | '-' | '\'' | '.' | '/' | '(' | ')') {
            '_'
        } else {
            c
        };
        if c == '_' && (out.is_empty() || out.ends_with('_')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

impl Table {
    /// Reads a whole CSV table. `what` names the file in messages (`"AGEC spend file"`).
    ///
    /// # Errors
    /// [`ErrorKind::Io`] when reading fails; [`ErrorKind::Parse`] for bad CSV or UTF-8 (naming
    /// the line); [`ErrorKind::Missing`] for an empty file.
    pub fn read(mut reader: impl Read, what: &str) -> Result<Table> {
        let mut data = Vec::new();
        reader.read_to_end(&mut data).map_err(|e| {
            Error::new(ErrorKind::Io, format!("reading the {what}: {e}")).with_source(e)
        })?;
        let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&data);
        if body.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(Error::new(
                ErrorKind::Missing,
                format!("{what}: the file is empty (a header line is expected)"),
            ));
        }
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(detect_delimiter(body))
            .flexible(true)
            .has_headers(true)
            .from_reader(body);
        let headers: Vec<String> = rdr
            .headers()
            .map_err(|e| csv_error(what, &e))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| csv_error(what, &e))?;
            let line = rec.position().map_or(0, |p| p.line());
            let cells: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            rows.push(Row { line, cells });
        }
        Ok(Table { headers, rows })
    }

    /// The index of the column whose header matches one of `aliases` (compared with
    /// [`header_key`]).
    ///
    /// # Errors
    /// [`ErrorKind::Duplicate`] when two columns match, naming both headers.
    pub fn column(&self, what: &str, aliases: &[&str]) -> Result<Option<usize>> {
        let mut found: Option<usize> = None;
        for (i, h) in self.headers.iter().enumerate() {
            let key = header_key(h);
            if aliases.iter().any(|a| header_key(a) == key) {
                if let Some(prev) = found {
                    return Err(Error::new(
                        ErrorKind::Duplicate,
                        format!(
                            "{what}, line 1, column \"{h}\": the same column as \"{}\"",
                            self.headers[prev]
                        ),
                    ));
                }
                found = Some(i);
            }
        }
        Ok(found)
    }

    /// The cells of column `col` in every row (for deciding a column's number convention).
    pub fn cells(&self, col: Option<usize>) -> impl Iterator<Item = &str> {
        self.rows
            .iter()
            .filter_map(move |r| col.and_then(|c| r.cells.get(c)).map(|s| s.as_str()))
    }
}

fn csv_error(what: &str, e: &csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "the text is not valid UTF-8".to_string(),
        _ => format!("bad CSV ({e})"),
    };
    Error::new(ErrorKind::Parse, format!("{what}, line {line}: {message}"))
}

/// Picks `;` or `,` (or a tab) from the header line: the most frequent outside quotes.
fn detect_delimiter(data: &[u8]) -> u8 {
    let line_end = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let mut in_quotes = false;
    let (mut semi, mut comma, mut tab) = (0usize, 0usize, 0usize);
    for &b in &data[..line_end] {
        match b {
            b'"' => in_quotes = !in_quotes,
            b';' if !in_quotes => semi += 1,
            b',' if !in_quotes => comma += 1,
            b'\t' if !in_quotes => tab += 1,
            _ => {}
        }
    }
    if tab > semi && tab > comma {
        b'\t'
    } else if semi >= comma && semi > 0 {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_fold_case_accents_and_separators() {
        assert_eq!(header_key(" Montant total (HT) "), "montant_total_ht");
        assert_eq!(header_key("Catégorie"), "categorie");
        assert_eq!(header_key("type-produit.acquis"), "type_produit_acquis");
    }

    #[test]
    fn reads_semicolon_files_with_bom_and_skips_blank_rows() {
        let t = Table::read("\u{feff}a;b\n1;2\n;\n3;4\n".as_bytes(), "test").unwrap();
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].line, 4);
        assert_eq!(t.rows[1].get(Some(1)), "4");
        assert_eq!(t.rows[1].get(Some(5)), "");
        assert!(Table::read(" \n".as_bytes(), "test").is_err());
    }
}
