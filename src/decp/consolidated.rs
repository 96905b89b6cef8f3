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

/// Bytes read from the input at a time.
const CHUNK: usize = 4 << 20;
/// Marks a span that points into a batch's `extra` buffer (an unescaped quoted field).
const EXTRA: u32 = 1 << 31;
/// No column wanted at this position.
const SKIP: u16 = u16::MAX;

/// Records split by the reading thread: their bytes (the chunk read, owned), the spans of the
/// wanted fields of each row, and the rows that could not be split.
#[derive(Debug, Default)]
struct Batch {
    text: Vec<u8>,
    extra: Vec<u8>,
    /// `width` spans per row (start, end); (0, 0) for an absent field.
    spans: Vec<(u32, u32)>,
    /// Per row: `None`, or why it is rejected.
    errors: Vec<Option<String>>,
}

/// Splits the CSV records of `b[pos..]` (RFC 4180 as polars writes it: `"` quotes a field,
/// `""` inside is a quote, a quoted field may hold commas and newlines). For each complete
/// record, the spans of the wanted fields (`want[field index]` = slot) are pushed to `spans`
/// (`slots` per record) and the number of fields to `counts`. Returns the position after the
/// last complete record; a record cut by the end of `b` is left for the next call unless `eof`.
/// At most `limit` records are split.
#[allow(clippy::too_many_arguments)]
fn split_records(
    b: &[u8],
    pos: usize,
    eof: bool,
    limit: usize,
    want: &[u16],
    slots: usize,
    spans: &mut Vec<(u32, u32)>,
    counts: &mut Vec<usize>,
    extra: &mut Vec<u8>,
) -> usize {
    let mut done = pos;
    let mut rec_spans = vec![(0u32, 0u32); slots];
    let mut field = 0usize;
    let mut fstart = pos;
    let mut quoted = false;
    let mut in_quotes = false;
    let mut escaped = false;
    let mut extra_mark = extra.len();
    let mut it = memchr::memchr3_iter(b',', b'"', b'\n', &b[pos..]);
    let mut skip_quote = false;
    let end_field = |field: usize,
                     fstart: usize,
                     fend: usize,
                     quoted: bool,
                     escaped: bool,
                     rec_spans: &mut Vec<(u32, u32)>,
                     extra: &mut Vec<u8>| {
        let Some(&slot) = want.get(field) else { return };
        if slot == SKIP {
            return;
        }
        let (mut a, mut z) = (fstart, fend);
        if quoted {
            // between the quotes (the closing quote is just before the separator)
            a += 1;
            z = z.saturating_sub(1).max(a);
        } else if z > a && b[z - 1] == b'\r' {
            z -= 1;
        }
        if escaped {
            let start = extra.len();
            let mut i = a;
            while i < z {
                extra.push(b[i]);
                if b[i] == b'"' && i + 1 < z && b[i + 1] == b'"' {
                    i += 1;
                }
                i += 1;
            }
            rec_spans[slot as usize] = (start as u32 | EXTRA, extra.len() as u32 | EXTRA);
        } else {
            rec_spans[slot as usize] = (a as u32, z as u32);
        }
    };
    loop {
        let next = it.next().map(|i| i + pos);
        let Some(i) = next else {
            if eof && done < b.len() && (fstart > done || fstart < b.len()) {
                // the last record, without a final newline
                if !in_quotes {
                    end_field(
                        field,
                        fstart,
                        b.len(),
                        quoted,
                        escaped,
                        &mut rec_spans,
                        extra,
                    );
                    spans.extend_from_slice(&rec_spans);
                    counts.push(field + 1);
                    return b.len();
                }
                // an unterminated quote: the rest is one broken record
                spans.extend_from_slice(&vec![(0, 0); slots]);
                counts.push(0);
                return b.len();
            }
            extra.truncate(extra_mark);
            return done;
        };
        if skip_quote {
            skip_quote = false;
            continue;
        }
        match b[i] {
            b'"' => {
                if in_quotes {
                    if b.get(i + 1) == Some(&b'"') {
                        escaped = true;
                        skip_quote = true;
                    } else {
                        in_quotes = false;
                    }
                } else if i == fstart {
                    quoted = true;
                    in_quotes = true;
                }
                // a quote inside an unquoted field is kept as text
            }
            b',' if !in_quotes => {
                end_field(field, fstart, i, quoted, escaped, &mut rec_spans, extra);
                field += 1;
                fstart = i + 1;
                quoted = false;
                escaped = false;
            }
            b'\n' if !in_quotes => {
                end_field(field, fstart, i, quoted, escaped, &mut rec_spans, extra);
                spans.extend_from_slice(&rec_spans);
                rec_spans.iter_mut().for_each(|s| *s = (0, 0));
                counts.push(field + 1);
                done = i + 1;
                extra_mark = extra.len();
                if counts.len() >= limit {
                    return done;
                }
                field = 0;
                fstart = i + 1;
                quoted = false;
                escaped = false;
            }
            _ => {}
        }
    }
}

/// Reads a consolidated CSV into `cons`: one thread reads and splits the records (a
/// `memchr`-driven splitter of the fields the read needs), the calling thread reduces them.
/// The header is read with the `csv` crate.
///
/// # Errors
/// [`ErrorKind::Missing`] when a required column is absent; [`ErrorKind::Parse`] when the
/// header is unreadable; [`ErrorKind::Io`] when reading fails. A row with the wrong number of
/// fields is rejected alone (with its row number), not an error.
pub(crate) fn read_csv(
    mut src: impl Read + Send,
    cons: &mut Consolidator,
    needs: Needs,
) -> Result<()> {
    let io = |e: std::io::Error| {
        Error::new(ErrorKind::Io, format!("reading consolidated CSV: {e}")).with_source(e)
    };
    // The header: the first line (a header has no quoted newline in practice; a quoted one is
    // read by the csv crate whole).
    let mut buf = Vec::with_capacity(CHUNK);
    let mut eof = fill(&mut src, &mut buf, CHUNK).map_err(io)?;
    let header_end = loop {
        let mut spans = Vec::new();
        let mut counts = Vec::new();
        let mut extra = Vec::new();
        let end = split_records(&buf, 0, eof, 1, &[], 0, &mut spans, &mut counts, &mut extra);
        if end > 0 || eof {
            break end;
        }
        let more = buf.len() + CHUNK;
        eof = fill(&mut src, &mut buf, more).map_err(io)?;
    };
    let header = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&buf[..header_end])
        .byte_records()
        .next()
        .transpose()
        .map_err(|e| csv_error(e, "header"))?
        .unwrap_or_default();
    let names: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let map = column_map(&refs);
    check_columns(&map, "CSV header")?;
    let width = names.len();
    // field index -> slot, and slot -> column
    let mut want = vec![SKIP; width];
    let mut cols: Vec<Col> = Vec::new();
    for (c, _) in COLUMNS.iter().filter(|(c, _)| needs.wants(*c)) {
        if let Some(i) = map[*c as usize] {
            want[i] = cols.len() as u16;
            cols.push(*c);
        }
    }
    let slots = cols.len();
    let mut rest = buf.split_off(header_end);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Batch>>(2);
        let (back_tx, back_rx) = std::sync::mpsc::channel::<Batch>();
        let want = &want;
        scope.spawn(move || {
            let mut eof = eof;
            loop {
                let mut batch = back_rx.try_recv().unwrap_or_default();
                batch.text.clear();
                batch.extra.clear();
                batch.spans.clear();
                batch.errors.clear();
                std::mem::swap(&mut batch.text, &mut rest);
                // read up to a chunk more
                if !eof {
                    let target = batch.text.len() + CHUNK;
                    match fill(&mut src, &mut batch.text, target) {
                        Ok(e) => eof = e,
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            return;
                        }
                    }
                }
                let mut counts = Vec::new();
                let end = split_records(
                    &batch.text,
                    0,
                    eof,
                    usize::MAX,
                    want,
                    slots,
                    &mut batch.spans,
                    &mut counts,
                    &mut batch.extra,
                );
                batch.errors.extend(counts.iter().map(|&n| {
                    (n != width).then(|| {
                        if n == 0 {
                            "an unterminated quoted field".to_string()
                        } else {
                            format!("{n} fields where the header has {width}")
                        }
                    })
                }));
                rest.clear();
                rest.extend_from_slice(&batch.text[end..]);
                let nothing = counts.is_empty();
                if !nothing && tx.send(Ok(batch)).is_err() {
                    return;
                }
                if eof && rest.is_empty() {
                    return;
                }
                if eof && nothing {
                    return;
                }
            }
        });
        let mut row_index: u64 = 0;
        for msg in rx {
            let batch = msg.map_err(io)?;
            for (r, err) in batch.errors.iter().enumerate() {
                if let Some(why) = err {
                    cons.reject_row(row_index, format!("row {}: {why}", row_index + 2));
                    row_index += 1;
                    continue;
                }
                let mut row = Row::default();
                for (slot, c) in cols.iter().enumerate() {
                    let (a, z) = batch.spans[r * slots + slot];
                    let text = if a & EXTRA != 0 {
                        batch
                            .extra
                            .get((a & !EXTRA) as usize..(z & !EXTRA) as usize)
                    } else {
                        batch.text.get(a as usize..z as usize)
                    };
                    if let Some(t) = text.filter(|t| !t.is_empty()) {
                        row.cells[*c as usize] = Val::Text(t);
                    }
                }
                cons.add(row_index, &row);
                row_index += 1;
            }
            let _ = back_tx.send(batch);
        }
        Ok(())
    })
}

/// Reads from `src` into `buf` until it holds `target` bytes or the input ends; returns
/// whether the input ended.
fn fill(src: &mut impl Read, buf: &mut Vec<u8>, target: usize) -> std::io::Result<bool> {
    let start = buf.len();
    if buf.capacity() < target {
        buf.reserve(target - start);
    }
    buf.resize(target, 0);
    let mut n = start;
    while n < target {
        match src.read(&mut buf[n..]) {
            Ok(0) => {
                buf.truncate(n);
                return Ok(true);
            }
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.truncate(n);
                return Err(e);
            }
        }
    }
    buf.truncate(n);
    Ok(false)
}

fn csv_error(e: csv::Error, what: &str) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    Error::new(
        ErrorKind::Parse,
        format!(
            "consolidated CSV, {what} at line {line}: {}",
            excerpt(&e.to_string())
        ),
    )
    .with_source(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Split = (usize, Vec<(u32, u32)>, Vec<usize>, Vec<u8>);

    fn split(text: &str, eof: bool, want: &[u16], slots: usize) -> Split {
        let (mut spans, mut counts, mut extra) = (Vec::new(), Vec::new(), Vec::new());
        let end = split_records(
            text.as_bytes(),
            0,
            eof,
            usize::MAX,
            want,
            slots,
            &mut spans,
            &mut counts,
            &mut extra,
        );
        (end, spans, counts, extra)
    }

    #[test]
    fn records_split_on_unquoted_newlines_and_commas() {
        let t = "a,b,c\n1,\"x, \"\"y\"\"\",3\n4,\"multi\nline\",6\n7,8";
        let (end, spans, counts, extra) = split(t, false, &[0, 1, 2], 3);
        assert_eq!(counts, [3, 3, 3]);
        assert_eq!(end, t.rfind('\n').unwrap() + 1);
        let get = |(a, z): (u32, u32)| {
            if a & EXTRA != 0 {
                String::from_utf8(extra[(a & !EXTRA) as usize..(z & !EXTRA) as usize].to_vec())
                    .unwrap()
            } else {
                t[a as usize..z as usize].to_string()
            }
        };
        assert_eq!(get(spans[4]), "x, \"y\"");
        assert_eq!(get(spans[7]), "multi\nline");
        let (end, _, counts, _) = split(t, true, &[0, 1, 2], 3);
        assert_eq!((end, counts.len()), (t.len(), 4));
    }
}
