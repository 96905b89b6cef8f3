//! The consolidated national DECP as CSV (decp-processing's daily `decp.csv`): a streaming
//! reader on the `csv` crate that hands its rows to the [`Consolidator`].

use std::io::Read;

use super::filter::Filter;
use super::table::{
    COLUMNS, Col, Consolidator, NCOL, Needs, REQUIRED, Row, Val, typed_cell, uid_hash,
};
use crate::error::{Error, ErrorKind, Result};
use crate::util::text::excerpt;
use wide::u8x16;

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
/// The longest a record may stay open: past it, a quote is taken as never closed, or the line
/// as never ending (a real record is a few kB; the unterminated quote of a broken file, or a
/// file without line breaks, would otherwise make the rest of the file one record). The record
/// is then rejected up to its first line break and reading resumes there; until that line
/// break comes, only its first `MAX_RECORD + 1` bytes are carried from chunk to chunk
/// ([`carried`]), so that a long broken record costs a read, not a read per chunk.
const MAX_RECORD: usize = 16 << 20;
/// The count of fields that marks a record cut at [`MAX_RECORD`].
const OVERLONG: usize = usize::MAX;
/// Room kept in front of a chunk's bytes for the end of the previous chunk's last record
/// (longer ends are copied with the chunk).
const GAP: usize = 64 << 10;
/// The share of a chunk the reading thread splits itself (it also reads the bytes; the
/// reducing thread splits the rest before reducing the chunk's rows), in percent: at least
/// `least`, at most `most`, in steps of `step`, stopping past `least` as soon as the reducing
/// thread waits for a chunk. Which thread is the busier changes during a read (the reducing
/// one slows as its tables outgrow the caches) and with the read (one buyer's rows: the
/// reducing thread passes over most rows). Fixed shares measured on 500,000 contracts of the
/// national file's shape, median wall of 11 runs: 0.42 s at 55 %, 0.39 s from 70 to 92 %,
/// 0.41 s at 100 %; one buyer: 0.26 s at 60 %, 0.30 s at 80 %, 0.27 s at 45 %.
#[derive(Debug, Clone, Copy)]
struct ReaderShare {
    least: usize,
    most: usize,
    step: usize,
}

/// The share of a chunk the reading thread splits (see [`ReaderShare`]).
const READER_SHARE: ReaderShare = ReaderShare {
    least: 40,
    most: 95,
    step: 5,
};
/// Marks a span that points into a batch's `extra` buffer (an unescaped quoted field).
const EXTRA: u32 = 1 << 31;
/// No column wanted at this position.
const SKIP: u16 = u16::MAX;

/// Records split by the reading thread: their bytes (the chunk read, owned), the spans of the
/// wanted fields of each row, and the rows that could not be split.
#[derive(Debug, Default)]
struct Batch {
    text: Vec<u8>,
    /// Where the batch's bytes begin in `text` (room is kept in front for a carried record).
    start: usize,
    extra: Vec<u8>,
    /// `width` spans per row (start, end); (0, 0) for an absent field.
    spans: Vec<(u32, u32)>,
    /// Per row: `None`, or why it is rejected.
    errors: Vec<Option<String>>,
    /// Per row: its uid's [`uid_hash`].
    hashes: Vec<Option<u64>>,
    /// Per row, the cells of [`Layout::typed`] read typed ([`Val::Null`]: read as text).
    typed: Vec<Val<'static>>,
    /// The rows of other buyers than the filter's, in order (their fields after the buyer's
    /// are not split: see [`split_records`]).
    skipped: Vec<usize>,
    /// The position from which the reducing thread splits the records (the end of the last
    /// record the reading thread split), then sends back the bytes after the last complete
    /// record; `None` when the reading thread split them all.
    tail: Option<usize>,
    /// Whether the input ends with this batch.
    eof: bool,
}

/// What the split of a row keeps: the field index of each wanted column's slot, the columns
/// read typed on the splitting thread ([`typed_cell`]) and the uid's slot (hashed there).
struct Layout {
    /// `want[field index]` = slot, or [`SKIP`].
    want: Vec<u16>,
    /// The column of each slot.
    cols: Vec<Col>,
    /// The slots (and columns) whose text is read typed where the row is split.
    typed: Vec<(usize, Col)>,
    /// The uid's slot.
    uid: Option<usize>,
    /// The buyer filter and the index of the buyer's field (the rows of other buyers are
    /// counted, not reduced: they are known where they are split).
    buyer: Option<(usize, Filter)>,
    max_record: usize,
}

impl Layout {
    fn new(
        want: Vec<u16>,
        cols: Vec<Col>,
        buyer: Option<(usize, Filter)>,
        max_record: usize,
    ) -> Self {
        const TYPED: [Col; 4] = [
            Col::DateNotification,
            Col::DonneesActuelles,
            Col::ModificationId,
            Col::Montant,
        ];
        let typed = cols
            .iter()
            .enumerate()
            .filter(|(_, c)| TYPED.contains(c))
            .map(|(slot, c)| (slot, *c))
            .collect();
        let uid = cols.iter().position(|c| *c == Col::Uid);
        Layout {
            want,
            cols,
            typed,
            uid,
            buyer,
            max_record,
        }
    }

    fn slots(&self) -> usize {
        self.cols.len()
    }
}

/// The bytes of a split field: in the chunk's text, or in `extra` when unescaped.
fn field_text<'b>(text: &'b [u8], extra: &'b [u8], (a, z): (u32, u32)) -> Option<&'b [u8]> {
    if a & EXTRA != 0 {
        extra.get((a & !EXTRA) as usize..(z & !EXTRA) as usize)
    } else {
        text.get(a as usize..z as usize)
    }
}

impl Batch {
    /// Splits the records of `text[from..upto]` into the batch (see [`split_records`]), then
    /// reads their typed cells and hashes their uids ([`Layout`]).
    fn split(
        &mut self,
        from: usize,
        upto: usize,
        eof: bool,
        layout: &Layout,
        counts: &mut Vec<usize>,
        odd: &mut Vec<(usize, usize)>,
    ) -> usize {
        let slots = layout.slots();
        let before = self.spans.len();
        let skipped_before = self.skipped.len();
        let end = split_records(
            &self.text[..upto],
            from,
            eof,
            usize::MAX,
            layout.max_record,
            &layout.want,
            slots,
            layout.buyer.as_ref().map(|(field, f)| (*field, f)),
            &mut self.spans,
            counts,
            odd,
            &mut self.extra,
            &mut self.skipped,
        );
        if slots > 0 {
            let mut skipped = self.skipped[skipped_before..].iter().peekable();
            for (r, rec) in self.spans[before..].chunks_exact(slots).enumerate() {
                if skipped.next_if_eq(&&(before / slots + r)).is_some() {
                    // another buyer's row: only counted
                    self.hashes.push(None);
                    self.typed
                        .extend(std::iter::repeat_n(Val::Null, layout.typed.len()));
                    continue;
                }
                let cell = |slot: usize| field_text(&self.text, &self.extra, rec[slot]);
                self.hashes.push(
                    layout
                        .uid
                        .and_then(cell)
                        .and_then(|t| Val::Text(t).bytes())
                        .map(uid_hash),
                );
                for &(slot, col) in &layout.typed {
                    self.typed
                        .push(cell(slot).map_or(Val::Null, |t| typed_cell(col, t)));
                }
            }
        }
        end
    }
}

/// Why each record split with `counts` fields is rejected, if it is, quoting the beginning of
/// the record (`odd`: the starts in `text` of the records whose count is not `width`, as
/// [`split_records`] gives them).
fn row_errors(
    counts: &[usize],
    odd: &[(usize, usize)],
    text: &[u8],
    width: usize,
    errors: &mut Vec<Option<String>>,
) {
    let mut odd = odd.iter().peekable();
    errors.extend(counts.iter().enumerate().map(|(r, &n)| {
        let start = loop {
            match odd.peek() {
                Some(&&(i, s)) if i == r => break Some(s),
                Some(&&(i, _)) if i < r => {
                    odd.next();
                }
                _ => break None,
            }
        };
        (n != width).then(|| {
            let why = if n == OVERLONG {
                format!(
                    "a row still open {} MiB after its start (an unterminated quote, or no line \
                     break): the row is rejected up to its first line break, where reading resumes",
                    MAX_RECORD >> 20
                )
            } else if n == 0 {
                "an unterminated quoted field".to_string()
            } else {
                format!("{n} fields where the header has {width}")
            };
            match start {
                Some(s) => format!("{why}; the row begins \"{}\"", row_excerpt(text, s)),
                None => why,
            }
        })
    }));
}

/// The beginning of the record at `start` in `text`, up to its first line break, as quoted in a
/// message (at most [`MAX_QUOTED`](crate::util::text::MAX_QUOTED) characters).
fn row_excerpt(text: &[u8], start: usize) -> String {
    let rest = text.get(start..).unwrap_or_default();
    let line = &rest[..rest.len().min(4 * crate::util::text::MAX_QUOTED)];
    let line = line.split(|&c| c == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    crate::util::text::excerpt(&String::from_utf8_lossy(line)).into_owned()
}

/// The position `percent` % of the way through `b[start..]`.
fn cut_at(b: &[u8], start: usize, percent: usize) -> usize {
    let len = b.len().saturating_sub(start);
    start + len / 100 * percent + len % 100 * percent / 100
}

/// The positions of the bytes `,`, `"` and `\n` in `b` from `start`, in order, found 64
/// bytes at a time as bit masks (a consolidated row has a separator every dozen bytes or so:
/// far denser than what a search for the next one is made for); a run of commas can be taken
/// at once ([`Specials::take_commas`]).
struct Specials<'a> {
    b: &'a [u8],
    /// Position of the block whose matches the masks hold.
    base: usize,
    /// The commas, quotes and newlines of the block not yet returned (bit `j`: byte `base + j`).
    commas: u64,
    quotes: u64,
    newlines: u64,
}

impl<'a> Specials<'a> {
    fn new(b: &'a [u8], start: usize) -> Self {
        let mut s = Specials {
            b,
            base: start,
            commas: 0,
            quotes: 0,
            newlines: 0,
        };
        s.load();
        s
    }

    /// The masks of the block at `base` (zero bytes past the end: never a match).
    #[inline]
    fn load(&mut self) {
        let mut block = [0u8; 64];
        match self.b.get(self.base..self.base + 64) {
            Some(s) => block.copy_from_slice(s),
            None => {
                // The last block: bytes past the end read as zero, never a match.
                let rest = self.b.get(self.base..).unwrap_or(&[]);
                block[..rest.len()].copy_from_slice(rest);
            }
        }
        (self.commas, self.quotes, self.newlines) = block_masks(&block);
    }

    /// Moves to the next block holding a match; `false` at the end.
    #[inline]
    fn refill(&mut self) -> bool {
        while self.commas | self.quotes | self.newlines == 0 {
            self.base += 64;
            if self.base >= self.b.len() {
                return false;
            }
            self.load();
        }
        true
    }

    /// Takes the commas that come before the next quote or newline, at most `max` (≥ 1) of
    /// them and within the current block: how many, and the position of the last one.
    #[inline]
    fn take_commas(&mut self, max: usize) -> Option<(usize, usize)> {
        if !self.refill() {
            return None;
        }
        let stop = self.quotes | self.newlines;
        let before = if stop == 0 {
            u64::MAX
        } else {
            (stop & stop.wrapping_neg()) - 1
        };
        let run = self.commas & before;
        if run == 0 {
            return None;
        }
        let k = run.count_ones() as usize;
        if k <= max {
            self.commas &= !run;
            return Some((k, self.base + 63 - run.leading_zeros() as usize));
        }
        let mut last = self.base;
        for _ in 0..max {
            last = self.base + self.commas.trailing_zeros() as usize;
            self.commas &= self.commas - 1;
        }
        Some((max, last))
    }
}

/// The commas, quotes and newlines of a 64-byte block (bit `j` for byte `j`), sixteen bytes at
/// a time (one vector comparison and mask per byte sought: 4 times the eight-bytes-at-a-time
/// arithmetic it replaced, measured on this data).
#[inline]
fn block_masks(block: &[u8; 64]) -> (u64, u64, u64) {
    let comma = u8x16::splat(b',');
    let quote = u8x16::splat(b'"');
    let newline = u8x16::splat(b'\n');
    let (mut c, mut q, mut n) = (0u64, 0u64, 0u64);
    for (k, part) in block.chunks_exact(16).enumerate() {
        let mut a = [0u8; 16];
        a.copy_from_slice(part);
        let v = u8x16::from(a);
        let shift = 16 * k;
        let mask = |x: u8x16| u64::from(x.move_mask() as u16) << shift;
        c |= mask(v.cmp_eq(comma));
        q |= mask(v.cmp_eq(quote));
        n |= mask(v.cmp_eq(newline));
    }
    (c, q, n)
}

impl Iterator for Specials<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        if !self.refill() {
            return None;
        }
        let all = self.commas | self.quotes | self.newlines;
        let bit = all & all.wrapping_neg();
        self.commas &= !bit;
        self.quotes &= !bit;
        self.newlines &= !bit;
        Some(self.base + bit.trailing_zeros() as usize)
    }
}

/// Splits the CSV records of `b[pos..]` (RFC 4180 as polars writes it: `"` quotes a field,
/// `""` inside is a quote, a quoted field may hold commas and newlines). For each complete
/// record, the spans of the wanted fields (`want[field index]` = slot) are pushed to `spans`
/// (`slots` per record) and the number of fields to `counts`; a record whose number of fields
/// is not `want.len()` (or that is broken) also gets its index in `counts` and its start in
/// `b` pushed to `odd` (to quote it when it is rejected). Returns the position after the
/// last complete record; a record cut by the end of `b` is left for the next call unless `eof`.
/// At most `limit` records are split. A record still open `max_record` bytes after its start
/// (in a quoted field, or a line that does not end) ends at its first line break, with the
/// count [`OVERLONG`]; so does, at the end of the input, a last record longer than that.
///
/// With `buyer` (the index of the buyer's field and a filter of buyers), a record whose buyer
/// the filter does not keep is split no further than its buyer's field: its fields after it
/// are counted, not kept (their spans stay blank), and its index among the records of `spans`
/// is pushed to `skipped`.
#[allow(clippy::too_many_arguments)]
fn split_records(
    b: &[u8],
    pos: usize,
    eof: bool,
    limit: usize,
    max_record: usize,
    want: &[u16],
    slots: usize,
    buyer: Option<(usize, &Filter)>,
    spans: &mut Vec<(u32, u32)>,
    counts: &mut Vec<usize>,
    odd: &mut Vec<(usize, usize)>,
    extra: &mut Vec<u8>,
    skipped: &mut Vec<usize>,
) -> usize {
    let mut done = pos;
    // The current record's spans are pushed (blank) when it starts and filled in place.
    let mut rec = spans.len();
    spans.resize(rec + slots, (0, 0));
    let mut field = 0usize;
    let mut fstart = pos;
    let mut quoted = false;
    let mut in_quotes = false;
    let mut escaped = false;
    let mut extra_mark = extra.len();
    let mut it = Specials::new(b, pos);
    let mut skip_quote = false;
    // whether the current record's buyer is not kept (its further fields are not split)
    let mut other_buyer = false;
    let buyer_slot = buyer.and_then(|(field, f)| Some((field, *want.get(field)? as usize, f)));
    let buyer_slot = buyer_slot.filter(|&(_, slot, _)| slot < slots);
    let end_field = |field: usize,
                     fstart: usize,
                     fend: usize,
                     quoted: bool,
                     escaped: bool,
                     rec_spans: &mut [(u32, u32)],
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
    // For each field, how many fields from it on are not wanted (their commas are taken in
    // runs: only their count matters).
    let mut unwanted = vec![usize::MAX; want.len() + 1];
    for f in (0..want.len()).rev() {
        unwanted[f] = if want[f] == SKIP {
            unwanted[f + 1].saturating_add(1)
        } else {
            0
        };
    }
    // Ends a record of `n` fields: pushes its count (and its index when it is another
    // buyer's), then `other_buyer` is reset by the caller.
    let mut end_record = |n: usize, other: bool, rec: usize, counts: &mut Vec<usize>| {
        if other {
            skipped.push(rec / slots.max(1));
        }
        counts.push(n);
    };
    loop {
        if !in_quotes && !skip_quote {
            let k = if other_buyer {
                usize::MAX
            } else {
                unwanted.get(field).copied().unwrap_or(usize::MAX)
            };
            if k > 0 {
                if let Some((n, last)) = it.take_commas(k) {
                    field += n;
                    fstart = last + 1;
                    quoted = false;
                    escaped = false;
                    continue;
                }
            }
        }
        let next = it.next();
        let Some(i) = next else {
            if eof && done < b.len() && b.len() - done > max_record {
                // the last record, longer than a record may be, without a line break
                spans[rec..].fill((0, 0));
                odd.push((counts.len(), done));
                end_record(OVERLONG, other_buyer, rec, counts);
                return b.len();
            }
            if eof && done < b.len() && (fstart > done || fstart < b.len()) {
                // the last record, without a final newline
                if !in_quotes {
                    if !other_buyer {
                        end_field(
                            field,
                            fstart,
                            b.len(),
                            quoted,
                            escaped,
                            &mut spans[rec..],
                            extra,
                        );
                    }
                    if field + 1 != want.len() {
                        odd.push((counts.len(), done));
                    }
                    end_record(field + 1, other_buyer, rec, counts);
                    return b.len();
                }
                // an unterminated quote: the rest is one broken record
                spans[rec..].fill((0, 0));
                odd.push((counts.len(), done));
                end_record(0, other_buyer, rec, counts);
                return b.len();
            }
            extra.truncate(extra_mark);
            spans.truncate(rec);
            return done;
        };
        if skip_quote {
            skip_quote = false;
            continue;
        }
        if i - done > max_record {
            // an unterminated quote, or a line that does not end: the record ends at its first
            // line break
            let Some(k) = b[done..].iter().position(|&c| c == b'\n') else {
                if eof {
                    spans[rec..].fill((0, 0));
                    odd.push((counts.len(), done));
                    end_record(OVERLONG, other_buyer, rec, counts);
                    return b.len();
                }
                extra.truncate(extra_mark);
                spans.truncate(rec);
                return done;
            };
            spans[rec..].fill((0, 0));
            odd.push((counts.len(), done));
            end_record(OVERLONG, other_buyer, rec, counts);
            other_buyer = false;
            done += k + 1;
            extra.truncate(extra_mark);
            if counts.len() >= limit {
                return done;
            }
            rec = spans.len();
            spans.resize(rec + slots, (0, 0));
            field = 0;
            fstart = done;
            quoted = false;
            in_quotes = false;
            escaped = false;
            it = Specials::new(b, done);
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
                if !other_buyer {
                    end_field(field, fstart, i, quoted, escaped, &mut spans[rec..], extra);
                    if let Some((bf, slot, f)) = buyer_slot {
                        other_buyer = bf == field
                            && !f.buyer_matches_bytes(
                                field_text(b, extra, spans[rec + slot]).unwrap_or_default(),
                            );
                    }
                }
                field += 1;
                fstart = i + 1;
                quoted = false;
                escaped = false;
            }
            b'\n' if !in_quotes => {
                if !other_buyer {
                    end_field(field, fstart, i, quoted, escaped, &mut spans[rec..], extra);
                }
                if field + 1 != want.len() {
                    odd.push((counts.len(), done));
                }
                end_record(field + 1, other_buyer, rec, counts);
                other_buyer = false;
                done = i + 1;
                extra_mark = extra.len();
                if counts.len() >= limit {
                    return done;
                }
                rec = spans.len();
                spans.resize(rec + slots, (0, 0));
                field = 0;
                fstart = i + 1;
                quoted = false;
                escaped = false;
            }
            _ => {}
        }
    }
}

/// Reads a consolidated CSV into `cons`: one thread reads the input a chunk at a time and
/// splits the records of the chunk's first part (a splitter of the fields the read needs, 64
/// bytes at a time); the calling thread splits the rest of the chunk — from the end of the last
/// record split, so that the records are those of one split from the start — sends back the
/// end of the chunk's last record (it goes in front of the next chunk), then reduces the rows.
/// The header is read with the `csv` crate.
///
/// # Errors
/// [`ErrorKind::Missing`] when a required column is absent; [`ErrorKind::Parse`] when the
/// header is unreadable; [`ErrorKind::Io`] when reading fails. A row with the wrong number of
/// fields is rejected alone (with its row number), not an error.
pub(crate) fn read_csv(src: impl Read + Send, cons: &mut Consolidator, needs: Needs) -> Result<()> {
    let how = How {
        chunk: CHUNK,
        max_record: MAX_RECORD,
        share: READER_SHARE,
        buyer_at_split: true,
    };
    read_csv_chunked(src, cons, needs, how)
}

/// How [`read_csv_chunked`] reads (what [`read_csv`] sets, and the tests vary).
#[derive(Debug, Clone, Copy)]
struct How {
    /// Bytes read at a time.
    chunk: usize,
    /// The longest a quoted field may stay open.
    max_record: usize,
    share: ReaderShare,
    /// Whether a buyer filter is applied where the rows are split (else by the consolidator).
    buyer_at_split: bool,
}

/// [`read_csv`] reading `chunk` bytes at a time, a quoted field open at most `max_record` bytes.
fn read_csv_chunked(
    mut src: impl Read + Send,
    cons: &mut Consolidator,
    needs: Needs,
    how: How,
) -> Result<()> {
    let How {
        chunk,
        max_record,
        share,
        buyer_at_split,
    } = how;
    let io = |e: std::io::Error| {
        Error::new(ErrorKind::Io, format!("reading consolidated CSV: {e}")).with_source(e)
    };
    // The header: the first line (a header has no quoted newline in practice; a quoted one is
    // read by the csv crate whole).
    let mut buf = Vec::with_capacity(chunk);
    let mut eof = fill(&mut src, &mut buf, chunk).map_err(io)?;
    let header_end = loop {
        let mut spans = Vec::new();
        let mut counts = Vec::new();
        let mut extra = Vec::new();
        let end = split_records(
            &buf,
            0,
            eof,
            1,
            max_record,
            &[],
            0,
            None,
            &mut spans,
            &mut counts,
            &mut Vec::new(),
            &mut extra,
            &mut Vec::new(),
        );
        if end > 0 || eof {
            break end;
        }
        let more = buf.len() + chunk;
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
    // a buyer filter is applied where the rows are split
    let buyer = cons
        .buyer_filter()
        .filter(|_| buyer_at_split)
        .zip(map[Col::AcheteurId as usize])
        .map(|(f, field)| (field, f.clone()));
    let layout = Layout::new(want, cols, buyer, max_record);
    let slots = layout.slots();
    // set by the reducing thread while it waits for a chunk
    let waiting = std::sync::atomic::AtomicBool::new(false);
    let waiting = &waiting;
    let first = buf.split_off(header_end);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Batch>>(2);
        let (back_tx, back_rx) = std::sync::mpsc::channel::<Batch>();
        // the end of a batch's last record, sent back by the reducing thread when it split the
        // batch's tail, with the number of records it split
        let (carry_tx, carry_rx) = std::sync::mpsc::channel::<(Vec<u8>, usize)>();
        let layout = &layout;
        scope.spawn(move || {
            let mut eof = eof;
            let mut first = Some(first);
            // the bytes of an incomplete record, for the front of the next batch
            let mut carry: Vec<u8> = Vec::new();
            // whether the last batch's carry and count come from the reducing thread
            let mut awaited: Option<usize> = None;
            let mut last_eof = false;
            loop {
                let mut batch = back_rx.try_recv().unwrap_or_default();
                batch.extra.clear();
                batch.spans.clear();
                batch.errors.clear();
                batch.hashes.clear();
                batch.typed.clear();
                batch.skipped.clear();
                batch.tail = None;
                if let Some(initial) = first.take() {
                    batch.text = initial;
                    batch.start = 0;
                } else {
                    // the new bytes first (while the reducing thread splits the last tail),
                    // after the room for the carried bytes (what it holds is overwritten or
                    // not read)
                    if batch.text.len() >= GAP {
                        batch.text.truncate(GAP);
                    } else {
                        batch.text.resize(GAP, 0);
                    }
                    if !eof {
                        match fill(&mut src, &mut batch.text, GAP + chunk) {
                            Ok(e) => eof = e,
                            Err(e) => {
                                let _ = tx.send(Err(e));
                                return;
                            }
                        }
                    }
                    if let Some(records) = awaited.take() {
                        let Ok((c, n)) = carry_rx.recv() else { return };
                        carry = c;
                        if last_eof && records + n == 0 {
                            return;
                        }
                    }
                    if last_eof && carry.is_empty() {
                        return;
                    }
                    if carry.len() <= GAP {
                        batch.start = GAP - carry.len();
                        batch.text[batch.start..GAP].copy_from_slice(&carry);
                    } else {
                        let mut t = std::mem::take(&mut carry);
                        t.extend_from_slice(&batch.text[GAP..]);
                        batch.text = t;
                        batch.start = 0;
                    }
                    carry.clear();
                }
                batch.eof = eof;
                last_eof = eof;
                let (mut counts, mut odd) = (Vec::new(), Vec::new());
                // The records ending before the cut are split here; those after, from the end
                // of the last of them (a record boundary, as a split from the start finds it),
                // on the reducing thread. The cut moves on by steps while that thread is busy.
                let mut percent = share.least;
                let mut end = batch.start;
                loop {
                    let cut = cut_at(&batch.text, batch.start, percent);
                    end = batch.split(end, cut, false, layout, &mut counts, &mut odd);
                    if percent >= share.most
                        || (end > batch.start && waiting.load(std::sync::atomic::Ordering::Relaxed))
                    {
                        break;
                    }
                    percent = (percent + share.step.max(1)).min(share.most);
                }
                if end > batch.start {
                    batch.tail = Some(end);
                } else {
                    let all = batch.text.len();
                    end = batch.split(end, all, eof, layout, &mut counts, &mut odd);
                    carry.extend_from_slice(carried(&batch.text[end..], layout.max_record));
                }
                row_errors(&counts, &odd, &batch.text, width, &mut batch.errors);
                let records = counts.len();
                if batch.tail.is_some() {
                    awaited = Some(records);
                    if tx.send(Ok(batch)).is_err() {
                        return;
                    }
                    continue;
                }
                if records > 0 && tx.send(Ok(batch)).is_err() {
                    return;
                }
                if eof && (carry.is_empty() || records == 0) {
                    return;
                }
            }
        });
        let mut row_index: u64 = 0;
        let (mut counts, mut odd) = (Vec::new(), Vec::new());
        let next = || match rx.try_recv() {
            Ok(msg) => Some(msg),
            Err(std::sync::mpsc::TryRecvError::Disconnected) => None,
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                waiting.store(true, std::sync::atomic::Ordering::Relaxed);
                let msg = rx.recv().ok();
                waiting.store(false, std::sync::atomic::Ordering::Relaxed);
                msg
            }
        };
        while let Some(msg) = next() {
            let mut batch = msg.map_err(io)?;
            let mut skipped = 0;
            if let Some(from) = batch.tail {
                counts.clear();
                odd.clear();
                let (all, eof) = (batch.text.len(), batch.eof);
                let end = batch.split(from, all, eof, layout, &mut counts, &mut odd);
                row_errors(&counts, &odd, &batch.text, width, &mut batch.errors);
                // the reading thread may have ended on an error: nothing then waits for this
                let _ = carry_tx.send((
                    carried(&batch.text[end..], layout.max_record).to_vec(),
                    counts.len(),
                ));
            }
            for (r, err) in batch.errors.iter().enumerate() {
                let other_buyer = batch.skipped.get(skipped) == Some(&r);
                skipped += usize::from(other_buyer);
                if let Some(why) = err {
                    cons.reject_row(row_index, format!("row {}: {why}", row_index + 2));
                    row_index += 1;
                    continue;
                }
                if other_buyer {
                    cons.skip_filtered_rows(1);
                    row_index += 1;
                    continue;
                }
                let mut row = Row::default();
                for (slot, c) in layout.cols.iter().enumerate() {
                    let text = field_text(&batch.text, &batch.extra, batch.spans[r * slots + slot]);
                    if let Some(t) = text.filter(|t| !t.is_empty()) {
                        row.cells[*c as usize] = Val::Text(t);
                    }
                }
                let typed = layout.typed.len();
                for (&(_, c), &v) in layout.typed.iter().zip(&batch.typed[r * typed..]) {
                    if v != Val::Null {
                        row.cells[c as usize] = v;
                    }
                }
                cons.add_hashed(row_index, &row, batch.hashes[r]);
                row_index += 1;
            }
            let _ = back_tx.send(batch);
        }
        Ok(())
    })
}

/// The bytes of an incomplete record `rest` to carry in front of the next chunk: all of them
/// or, for a record already longer than `max_record` without a line break, its first
/// `max_record + 1` bytes (at least what its rejection quotes). The rest cannot change how it
/// is read: it is rejected, quoting its beginning, up to its first line break, which comes
/// later; and it is not split again whole at every chunk.
fn carried(rest: &[u8], max_record: usize) -> &[u8] {
    let keep = max_record
        .saturating_add(1)
        .max(4 * crate::util::text::MAX_QUOTED + 1);
    if rest.len() > keep && !rest.contains(&b'\n') {
        &rest[..keep]
    } else {
        rest
    }
}

/// Reads from `src` into `buf` until it holds `target` bytes or the input ends; returns
/// whether the input ended.
fn fill(src: &mut impl Read, buf: &mut Vec<u8>, target: usize) -> std::io::Result<bool> {
    let want = target.saturating_sub(buf.len());
    if buf.capacity() < target {
        buf.reserve(want);
    }
    // `read_to_end` reads into the vector's spare room without zeroing it first where the
    // source allows (files, standard input): zeroing 4 MiB before each read cost the reading
    // thread a tenth of the CPU of a read. `Interrupted` is retried there.
    let mut limited = src.take(want as u64);
    limited.read_to_end(buf)?;
    Ok(buf.len() < target)
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
            MAX_RECORD,
            want,
            slots,
            None,
            &mut spans,
            &mut counts,
            &mut Vec::new(),
            &mut extra,
            &mut Vec::new(),
        );
        (end, spans, counts, extra)
    }

    proptest::proptest! {
        /// The word-at-a-time scan finds what a byte-at-a-time search finds.
        #[test]
        fn specials_are_memchr3(
            b in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(b','),
                    proptest::strategy::Just(b'"'),
                    proptest::strategy::Just(b'\n'),
                    proptest::prelude::any::<u8>(),
                ],
                0..100,
            ),
            start in 0usize..100,
        ) {
            let start = start.min(b.len());
            let ours: Vec<usize> = Specials::new(&b, start).collect();
            let theirs: Vec<usize> =
                memchr::memchr3_iter(b',', b'"', b'\n', &b[start..]).map(|i| i + start).collect();
            proptest::prop_assert_eq!(ours, theirs);
        }
    }

    /// The text of a span (in the record bytes or the unescaped `extra`).
    fn text_of(t: &[u8], extra: &[u8], (a, z): (u32, u32)) -> Vec<u8> {
        if a & EXTRA != 0 {
            extra[(a & !EXTRA) as usize..(z & !EXTRA) as usize].to_vec()
        } else {
            t[a as usize..z as usize].to_vec()
        }
    }

    proptest::proptest! {
        /// Taking the commas of fields not wanted in runs gives the fields a field-by-field
        /// split gives, for any bytes.
        #[test]
        fn fields_not_wanted_skipped_in_runs_split_the_same(
            t in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(b','),
                    proptest::strategy::Just(b','),
                    proptest::strategy::Just(b'"'),
                    proptest::strategy::Just(b'\n'),
                    proptest::strategy::Just(b'\r'),
                    proptest::strategy::Just(b'a'),
                    proptest::strategy::Just(b'b'),
                ],
                0..400,
            ),
            eof in proptest::bool::ANY,
        ) {
            let all: Vec<u16> = (0..9).collect();
            let some = [SKIP, 0, SKIP, SKIP, SKIP, 1, SKIP, SKIP, 2];
            let run = |want: &[u16], slots: usize| {
                let (mut spans, mut counts, mut extra) = (Vec::new(), Vec::new(), Vec::new());
                let end = split_records(
                    &t, 0, eof, usize::MAX, MAX_RECORD, want, slots, None, &mut spans, &mut counts, &mut Vec::new(), &mut extra, &mut Vec::new(),
                );
                (end, spans, counts, extra)
            };
            let (end_a, spans_a, counts_a, extra_a) = run(&all, 9);
            let (end_s, spans_s, counts_s, extra_s) = run(&some, 3);
            proptest::prop_assert_eq!(end_a, end_s);
            proptest::prop_assert_eq!(&counts_a, &counts_s);
            for r in 0..counts_a.len() {
                for (slot, field) in [(0, 1), (1, 5), (2, 8)] {
                    proptest::prop_assert_eq!(
                        text_of(&t, &extra_s, spans_s[r * 3 + slot]),
                        text_of(&t, &extra_a, spans_a[r * 9 + field])
                    );
                }
            }
        }
    }

    /// Everything a read of `text` gives, as text: the row diagnostics, each contract or
    /// rejection with its warnings, and the accounting.
    fn read_in_chunks(text: &[u8], chunk: usize) -> String {
        read_capped(text, chunk, MAX_RECORD)
    }

    /// [`read_in_chunks`] with a quoted field open at most `max_record` bytes.
    fn read_capped(text: &[u8], chunk: usize, max_record: usize) -> String {
        read_shared(text, chunk, max_record, READER_SHARE)
    }

    /// [`read_capped`] with the reading thread splitting `share` of each chunk.
    fn read_shared(text: &[u8], chunk: usize, max_record: usize, share: ReaderShare) -> String {
        let how = How {
            chunk,
            max_record,
            share,
            buyer_at_split: true,
        };
        read_how(text, None, how)
    }

    /// Everything a read of `text` (of the rows of `buyers` only, when given) gives, as text.
    fn read_how(text: &[u8], buyers: Option<Filter>, how: How) -> String {
        let needs = Needs {
            full: true,
            strategy: true,
            names: true,
            details: true,
        };
        let mut cons = Consolidator::new(needs, buyers, None);
        if let Err(e) = read_csv_chunked(text, &mut cons, needs, how) {
            return format!("error: {e}");
        }
        let (rows, warnings) = cons.take_row_diagnostics();
        let mut out = format!("{rows:?}\n{warnings:?}\n");
        let acc = Consolidator::finish_all(
            vec![cons],
            |r| out.push_str(&format!("{} {:?} {:?}\n", r.record, r.outcome, r.warnings)),
            None::<fn(crate::decp::table::Reduced<'_>)>,
        );
        out.push_str(&format!("{acc:?}"));
        out
    }

    /// With a 2,000-byte cap: row 4 of `text` alone is rejected as too long, the `rows` rows
    /// are all counted, and reads in `chunks` give the read in one chunk.
    fn assert_one_overlong_row(text: &[u8], rows: usize, chunks: &[usize]) {
        let whole = read_capped(text, text.len() + 1, 2_000);
        assert_eq!(whole.matches("still open").count(), 1, "{whole}");
        assert!(
            whole.contains("row 4: a row still open") && whole.contains(&format!("rows: {rows},")),
            "{}",
            &whole[whole.len() - 300..]
        );
        for &chunk in chunks {
            assert!(read_capped(text, chunk, 2_000) == whole, "chunk {chunk}");
        }
    }

    /// Where line `k` (from 0) of `text` starts.
    fn line_start(text: &[u8], k: usize) -> usize {
        let mut at = 0;
        for _ in 0..k {
            at += text[at..].iter().position(|&c| c == b'\n').expect("a line") + 1;
        }
        at
    }

    fn generated() -> Vec<u8> {
        std::fs::read("tests/data/decp/consolidated/gen_500_7.csv").expect("fixture")
    }

    #[test]
    fn chunked_reads_give_the_read_in_one_chunk() {
        let text = generated();
        let whole = read_in_chunks(&text, text.len() + 1);
        assert!(
            whole.contains("read: 500,"),
            "{}",
            &whole[whole.len() - 300..]
        );
        for chunk in [64, 1000, 70_000] {
            assert!(read_in_chunks(&text, chunk) == whole, "chunk {chunk}");
        }
    }

    #[test]
    fn any_share_of_the_split_on_the_reading_thread_gives_the_same_read() {
        // The share the reading thread splits moves with how busy the reducing thread is:
        // every share, fixed, gives the read in one chunk, on sound rows and on broken ones.
        let text = generated();
        let mut broken = text.clone();
        broken.insert(line_start(&text, 40) + 5, b'"');
        broken.insert(line_start(&text, 9), b'"');
        for text in [text, broken] {
            let whole = read_in_chunks(&text, text.len() + 1);
            for chunk in [1000, 70_000] {
                for percent in [0, 1, 37, 80, 99, 100] {
                    let share = ReaderShare {
                        least: percent,
                        most: percent,
                        step: 5,
                    };
                    assert!(
                        read_shared(&text, chunk, MAX_RECORD, share) == whole,
                        "chunk {chunk}, {percent} %"
                    );
                }
                // by steps of 1 % from none to all, stopping whenever the reducer waits
                let share = ReaderShare {
                    least: 0,
                    most: 100,
                    step: 1,
                };
                assert!(
                    read_shared(&text, chunk, MAX_RECORD, share) == whole,
                    "chunk {chunk}, by steps"
                );
            }
        }
    }

    /// The read of `text` with the rows of `buyers` only, the filter applied where the rows are
    /// split — in chunks of `chunks`, the reading thread splitting none, half or all of each —
    /// is the read with the filter applied by the consolidator (in one chunk); returns it.
    fn assert_filtered_where_split(text: &[u8], buyers: &Filter, chunks: &[usize]) -> String {
        let how = |chunk: usize, percent: usize, buyer_at_split: bool| How {
            chunk,
            max_record: MAX_RECORD,
            share: ReaderShare {
                least: percent,
                most: percent,
                step: 5,
            },
            buyer_at_split,
        };
        let reference = read_how(text, Some(buyers.clone()), how(text.len() + 1, 80, false));
        for &chunk in chunks {
            for percent in [0, 50, 100] {
                let got = read_how(text, Some(buyers.clone()), how(chunk, percent, true));
                assert!(
                    got == reference,
                    "chunk {chunk}, {percent} %: {got}\n{reference}"
                );
            }
        }
        reference
    }

    #[test]
    fn a_buyer_filter_applied_where_rows_are_split_gives_the_consolidators() {
        // Rows of other buyers are split no further than their buyer's field: the same read
        // as the consolidator's filter, rows quoted, escaped, broken or cut by chunks.
        let text = generated();
        let line = |k: usize| line_start(&text, k);
        let mut t = text[..line(3)].to_vec();
        for k in 3..text.iter().filter(|&&c| c == b'\n').count() {
            let row = &text[line(k)..line(k + 1)];
            let commas: Vec<usize> = row
                .iter()
                .enumerate()
                .filter(|&(_, &c)| c == b',')
                .map(|(i, _)| i)
                .collect();
            let (before, buyer, after) = (
                &row[..=commas[2]],
                &row[commas[2] + 1..commas[3]],
                &row[commas[3]..],
            );
            t.extend_from_slice(before);
            match k % 7 {
                // quoted, with blanks around (kept when it is the filter's)
                0 => {
                    t.extend_from_slice(b"\" ");
                    t.extend_from_slice(buyer);
                    t.extend_from_slice(b" \"");
                    t.extend_from_slice(after);
                }
                // quoted, with an escaped quote (never the filter's)
                1 => {
                    t.extend_from_slice(b"\"\"\"");
                    t.extend_from_slice(buyer);
                    t.extend_from_slice(b"\"");
                    t.extend_from_slice(after);
                }
                // cut short after the buyer's field: rejected, whatever the buyer
                2 if k % 3 == 0 => {
                    t.extend_from_slice(buyer);
                    t.extend_from_slice(b",x\n");
                }
                // a field too many, quoted over a line break
                3 if k % 5 == 0 => {
                    t.extend_from_slice(buyer);
                    t.extend_from_slice(b",\"a,\nb\"");
                    t.extend_from_slice(after);
                }
                _ => {
                    t.extend_from_slice(buyer);
                    t.extend_from_slice(after);
                }
            }
        }
        for buyers in [
            Filter::new().buyer("24502309111190"),
            Filter::new().buyer("243417819"),
            Filter::new()
                .buyer("21743393633847")
                .buyer("27957116090077"),
            Filter::new().buyer("00000000000000"),
        ] {
            let read = assert_filtered_where_split(&t, &buyers, &[1_000, 70_000]);
            assert!(read.contains("rows_filtered: "), "{read}");
            assert!(!read.contains("rows_filtered: 0,"), "{read}");
            assert!(read.contains("fields where the header has 58"), "{read}");
        }
    }

    proptest::proptest! {
        /// Whatever the rows, a buyer filter applied where they are split gives the read of the
        /// consolidator's filter.
        #[test]
        fn any_rows_filtered_where_split_read_as_filtered_by_the_consolidator(
            rows in proptest::collection::vec(
                (
                    proptest::collection::vec(0usize..12, 55..60),
                    0usize..6,
                ),
                0..30,
            ),
            chunk in 64usize..3_000,
        ) {
            let tokens = [
                "", "a", "\"a,b\"", "\"x\"\"y\"", "\"line\nbreak\"", "2024-01-02", "12.5", "true",
                "\"", "Clause sociale", "\"Critère social, Clause sociale\"", "0",
            ];
            let buyers = [
                "21750001600019", "\" 21750001600019 \"", "21750001612345", "\"2175\"\"0001600019\"",
                "", "\"21750001600019\"",
            ];
            let text = generated();
            let mut t = text[..line_start(&text, 1)].to_vec();
            for (k, (fields, buyer)) in rows.iter().enumerate() {
                t.extend_from_slice(format!("u{},", k % 7).as_bytes());
                for (i, &f) in fields.iter().enumerate() {
                    if i > 0 {
                        t.push(b',');
                    }
                    t.extend_from_slice(if i == 2 { buyers[*buyer] } else { tokens[f] }.as_bytes());
                }
                t.push(b'\n');
            }
            for f in [Filter::new().buyer("21750001600019"), Filter::new().buyer("217500016")] {
                assert_filtered_where_split(&t, &f, &[chunk]);
            }
        }
    }

    #[test]
    fn broken_quotes_read_in_chunks_as_in_one() {
        let text = generated();
        let line = |k: usize| line_start(&text, k);
        // an unterminated quote at the start of a field early on: the rest of the file (far
        // more than the room kept in front of a chunk) is one broken record (re-split from its
        // start at each chunk: chunks of a few bytes would take long)
        let mut open = text[..line(3)].to_vec();
        open.push(b'"');
        open.extend(text[line(3)..].iter().filter(|&&c| c != b'"'));
        // a quote inside an unquoted field, and a quoted field closed early
        let mut stray = text.clone();
        stray.insert(line(40) + 5, b'"');
        stray.insert(line(9), b'"');
        stray.insert(line(9) + 4, b'"');
        let whole = read_in_chunks(&open, open.len() + 1);
        assert!(
            whole.contains("row 4: an unterminated quoted field") && whole.contains("rows: 3,"),
            "{}",
            &whole[whole.len() - 300..]
        );
        for t in [&open, &stray] {
            let whole = read_in_chunks(t, t.len() + 1);
            for chunk in [2_000, 70_000] {
                assert!(read_in_chunks(t, chunk) == whole, "chunk {chunk}");
            }
        }
    }

    #[test]
    fn rows_of_the_wrong_width_are_rejected_quoting_their_beginning() {
        let text = generated();
        let line = |k: usize| line_start(&text, k);
        // row 5 cut after its third field, row 11 with a field too many (line 12 and 6)
        let mut t = text[..line(5)].to_vec();
        let row5 = &text[line(5)..line(6)];
        let third = row5
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c == b',')
            .nth(2)
            .unwrap()
            .0;
        t.extend_from_slice(&row5[..third]);
        t.push(b'\n');
        t.extend_from_slice(&text[line(6)..line(11)]);
        t.extend_from_slice(b"extra,");
        t.extend_from_slice(&text[line(11)..]);
        let whole = read_in_chunks(&t, t.len() + 1);
        let short = String::from_utf8_lossy(&row5[..third]).into_owned();
        assert!(
            whole.contains(&format!(
                "row 6: 3 fields where the header has 58; the row begins \\\"{short}\\\""
            )),
            "{}",
            &whole[..whole.len().min(2_000)]
        );
        assert!(
            whole.contains("row 12: 59 fields where the header has 58; the row begins \\\"extra,"),
            "{}",
            &whole[..whole.len().min(2_000)]
        );
        // a quote of at most 80 characters
        let quoted = whole
            .split("row 12: 59 fields where the header has 58; the row begins \\\"")
            .nth(1)
            .and_then(|q| q.split("\\\"").next())
            .unwrap();
        assert_eq!(quoted.chars().count(), 81, "{quoted}");
        assert!(quoted.ends_with('…'));
        for chunk in [1_000, 70_000] {
            assert!(read_in_chunks(&t, chunk) == whole, "chunk {chunk}");
        }
    }

    #[test]
    fn an_unterminated_quote_is_cut_at_the_longest_record_and_reading_resumes() {
        let text = generated();
        let at = line_start(&text, 3);
        let mut open = text[..at].to_vec();
        open.push(b'"');
        open.extend(text[at..].iter().filter(|&&c| c != b'"'));
        // the broken row alone is rejected as such; the rows after it are read
        assert_one_overlong_row(&open, 732, &[64, 1000, 70_000]);
        // without the cap, the rest of the file is that one record
        assert!(read_in_chunks(&open, open.len() + 1).contains("rows: 3,"));
    }

    /// `text` with a record of `len` bytes of `junk` (no line break) before line `k`.
    fn with_junk_line(text: &[u8], k: usize, len: usize, junk: &[u8]) -> Vec<u8> {
        let at = line_start(text, k);
        let mut out = text[..at].to_vec();
        out.extend(junk.iter().cycle().take(len));
        out.push(b'\n');
        out.extend_from_slice(&text[at..]);
        out
    }

    #[test]
    fn a_line_that_does_not_end_is_rejected_once_and_reading_resumes() {
        let text = generated();
        // ten times the cap without a line break, quotes and separators included: carried
        // from chunk to chunk cut to the cap, rejected once, the rows after it read
        let junk = with_junk_line(&text, 3, 20_000, b"ab,c\"d;e f");
        assert_one_overlong_row(&junk, 733, &[64, 1000, 4_096, 70_000]);
        // at the end of the input, without a final line break
        let mut tail = text.clone();
        tail.extend(b"x,y".iter().cycle().take(9_000));
        let whole = read_capped(&tail, tail.len() + 1, 2_000);
        assert_eq!(whole.matches("still open").count(), 1, "{whole}");
        for chunk in [64, 1000, 70_000] {
            assert!(read_capped(&tail, chunk, 2_000) == whole, "chunk {chunk}");
        }
        // the carry of such a record is cut to the cap, not the whole record
        let rest = vec![b'a'; 10_000];
        assert_eq!(carried(&rest, 2_000).len(), 2_001);
        let mut with_break = rest.clone();
        with_break[9_000] = b'\n';
        assert_eq!(carried(&with_break, 2_000).len(), 10_000);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// A long record without a line break (quotes, separators, carriage returns inside),
        /// anywhere, of any length around the cap: a read in chunks of any size gives the read
        /// in one chunk.
        #[test]
        fn long_lines_read_in_chunks_as_in_one(
            k in 1usize..20,
            len in 10usize..6_000,
            junk in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b'"', b',', b'\r', b' ', b'9']),
                1..12,
            ),
            chunk in 16usize..5_000,
            cap in 50usize..3_000,
            end in proptest::bool::ANY,
        ) {
            let mut text = generated();
            text.truncate(20_000);
            let text = if end {
                let mut t = text;
                t.extend(junk.iter().cycle().take(len));
                t
            } else {
                with_junk_line(&text, k, len, &junk)
            };
            let whole = read_capped(&text, text.len() + 1, cap);
            proptest::prop_assert!(read_capped(&text, chunk, cap) == whole);
        }

        /// Wherever quotes, separators and newlines fall, a read in chunks of any size gives
        /// the read in one chunk.
        #[test]
        fn reads_in_chunks_of_any_size_agree(
            edits in proptest::collection::vec(
                (0usize..12_000, proptest::sample::select(vec![b'"', b',', b'\n', b'\r'])),
                0..6,
            ),
            chunk in 16usize..5_000,
            cap in proptest::prop_oneof![proptest::strategy::Just(MAX_RECORD), 50usize..3_000],
        ) {
            let mut text = generated();
            text.truncate(12_000);
            for (at, c) in edits {
                text.insert(at.min(text.len()), c);
            }
            let whole = read_capped(&text, text.len() + 1, cap);
            proptest::prop_assert!(read_capped(&text, chunk, cap) == whole);
        }
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
