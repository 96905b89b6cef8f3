//! The consolidated national DECP as CSV (decp-processing's daily `decp.csv`): a streaming
//! reader on the `csv` crate that hands its rows to the [`Consolidator`].

use std::io::Read;

use super::table::{COLUMNS, Col, Consolidator, NCOL, Needs, REQUIRED, Row, Val};
use crate::error::{Error, ErrorKind, Result};
use crate::util::text::excerpt;

/// The column index of each [`Col`] in a header, `None` when absent.
pub(crate) fn column_map(header: &[&str]) -> [Option<usize>; NCOL] {
    let mut map = [None; NCOL];
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().trim_start_matches('\u{feff}');
        if let Some(&(c, _)) = COLUMNS.iter().find(|(_, n)| *n == name) {
            if map[c as usize].is_none() {
                map[c as usize] = Some(i);
            }
        }
    }
    map
}

/// Fails when a required column is missing.
pub(crate) fn check_columns(map: &[Option<usize>; NCOL], what: &str) -> Result<()> {
    let missing: Vec<&str> = REQUIRED
        .iter()
        .filter(|c| map[**c as usize].is_none())
        .map(|c| COLUMNS[*c as usize].1)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Missing,
        format!(
            "{what}: not a consolidated DECP file: column{} {} missing (expected the columns of decp-processing's decp.csv / decp.parquet)",
            if missing.len() > 1 { "s" } else { "" },
            missing
                .iter()
                .map(|m| format!("\"{m}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ))
}

/// Reads a consolidated CSV into `cons`, row by row.
///
/// # Errors
/// [`ErrorKind::Missing`] when a required column is absent; [`ErrorKind::Parse`] when the
/// header is unreadable; [`ErrorKind::Io`] when reading fails. A row that the CSV layer cannot
/// read (wrong number of fields) is rejected alone with its line, not an error.
pub(crate) fn read_csv(src: impl Read, cons: &mut Consolidator, needs: Needs) -> Result<()> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(src);
    let header = rdr
        .byte_headers()
        .map_err(|e| csv_error(e, "header"))?
        .clone();
    let names: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let map = column_map(&refs);
    check_columns(&map, "CSV header")?;
    // The columns read, in header order: (field index, column).
    let mut wanted: Vec<(usize, Col)> = COLUMNS
        .iter()
        .filter(|(c, _)| needs.wants(*c))
        .filter_map(|(c, _)| map[*c as usize].map(|i| (i, *c)))
        .collect();
    wanted.sort_unstable_by_key(|w| w.0);
    let width = header.len();
    let mut record = csv::ByteRecord::new();
    let mut row_index: u64 = 0;
    let mut fixed: Vec<(Col, String)> = Vec::new();
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                if let csv::ErrorKind::Io(_) = e.kind() {
                    return Err(csv_error(e, "row"));
                }
                cons.reject_row(
                    row_index,
                    format!(
                        "line {}: unreadable CSV row: {}",
                        line_of(&e),
                        excerpt(&e.to_string())
                    ),
                );
                row_index += 1;
                continue;
            }
        }
        let mut row = Row::default();
        if record.len() != width {
            cons.reject_row(
                row_index,
                format!(
                    "line {}: {} fields where the header has {width}",
                    record.position().map_or(0, |p| p.line()),
                    record.len()
                ),
            );
            row_index += 1;
            continue;
        }
        fixed.clear();
        for &(i, c) in &wanted {
            let Some(bytes) = record.get(i) else { continue };
            if bytes.is_empty() {
                continue;
            }
            match std::str::from_utf8(bytes) {
                Ok(t) => row.cells[c as usize] = Val::Text(t),
                Err(_) => fixed.push((c, String::from_utf8_lossy(bytes).into_owned())),
            }
        }
        for (c, text) in &fixed {
            cons.warn_row(
                row_index,
                COLUMNS[*c as usize].1,
                text,
                "bytes that are not UTF-8 (e.g. a Windows-1252 character) replaced by U+FFFD",
            );
            row.cells[*c as usize] = Val::Text(text);
        }
        cons.add(row_index, &row);
        row_index += 1;
    }
    Ok(())
}

fn line_of(e: &csv::Error) -> u64 {
    e.position().map_or(0, |p| p.line())
}

fn csv_error(e: csv::Error, what: &str) -> Error {
    let kind = if let csv::ErrorKind::Io(_) = e.kind() {
        ErrorKind::Io
    } else {
        ErrorKind::Parse
    };
    Error::new(
        kind,
        format!(
            "consolidated CSV, {what} at line {}: {}",
            line_of(&e),
            excerpt(&e.to_string())
        ),
    )
    .with_source(e)
}
