//! The streaming DECP reader: chunked input, record boundaries found by the JSON scanner,
//! records converted leniently one at a time, duplicates and id collisions detected with
//! 64-bit hash sets.

use std::borrow::Cow;
use std::io::Read;

use super::actuals::Actuals;
use super::diag::{Accounting, Rejection, Warning};
use super::format::Format;
use super::json::{Member, Raw, ScanError, Scanner, skip_ws};
use super::lenient::{Ctx, Fields, Kind, Memo, convert, resolve_fields};
use super::model::{Contract, Entry, Outcome};
use crate::error::{Error, ErrorKind, Result};
use crate::util::hash::{HashSet64, hash_bytes};
use crate::values::money::{ConventionVotes, NumberConvention};

/// Bytes read from the input at a time.
const CHUNK: usize = 1 << 20;

/// Where the reader is in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    /// Inside the root object, before a key (`first`: no member read yet).
    Root {
        first: bool,
    },
    /// Inside the 2024 `marches` object.
    Marches {
        first: bool,
    },
    /// Inside a record array.
    Array {
        kind: Kind,
        first: bool,
        in_2024: bool,
    },
    /// After a single record object published where the 2024 format wants an array.
    AfterSingle,
    Done,
}

/// Newlines in `b` (vectorisable: byte sums over blocks of 128).
fn count_newlines(b: &[u8]) -> u64 {
    let mut n = 0u64;
    let mut blocks = b.chunks_exact(128);
    for block in &mut blocks {
        n += u64::from(block.iter().map(|&c| u8::from(c == b'\n')).sum::<u8>());
    }
    n + blocks.remainder().iter().filter(|&&c| c == b'\n').count() as u64
}

/// Streams the records of a DECP JSON file (2019 or 2024 format, detected from the root).
///
/// Reads the input in chunks of 1 MiB and holds at most the current chunk and the record
/// being parsed (the buffer grows only for a record larger than a chunk). To recognise
/// duplicates and id collisions it keeps one 64-bit content hash per distinct record and one
/// 64-bit key hash per (buyer, id): about 16 bytes per record plus the hash tables' slack
/// (≈ 40 MB for the 1.5 million contracts of the national data). Two different records collide
/// with probability about n²/2⁶⁵ (6·10⁻⁸ for 1.5 million records).
///
/// ```
/// use spaser::decp::{DecpReader, Outcome};
/// let json = r#"{"marches":{"marche":[{"id":"1","acheteur":{"id":"21350238800019"},
///   "montant":50000,"dateNotification":"2024-05-02","codeCPV":"45000000"}]}}"#;
/// let mut reader = DecpReader::new(json.as_bytes());
/// let mut n = 0;
/// while let Some(entry) = reader.next_entry()? {
///     assert!(matches!(entry.outcome, Outcome::Contract(_)));
///     n += 1;
/// }
/// assert_eq!(n, 1);
/// assert!(reader.accounting().balances());
/// # Ok::<(), spaser::Error>(())
/// ```
pub struct DecpReader<R> {
    src: R,
    buf: Vec<u8>,
    /// Parse position in `buf`.
    pos: usize,
    /// End of valid bytes in `buf`.
    end: usize,
    /// Absolute offset of `buf[0]`.
    consumed: u64,
    /// Newlines in the bytes before `buf[0]`.
    lines: u64,
    eof: bool,
    state: State,
    format: Option<Format>,
    core: Core,
    saw_marches: bool,
    members: Vec<Member>,
    /// The text of the current record when its bytes were not all UTF-8 (bad bytes replaced).
    fixed: String,
    /// Where the current record's bad bytes were (see [`Fix`]).
    fixes: Vec<Fix>,
    /// The next record is a single object where an array was expected.
    single: bool,
}

/// An invalid UTF-8 sequence replaced by U+FFFD in a record's text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fix {
    /// Offset of the bad bytes in the input.
    pub offset: u64,
    /// Position of the replacement character in the record's (fixed) text.
    pub at: usize,
}

/// Bytes of the input's beginning examined to tell a file that is not UTF-8 at all.
const SNIFF: usize = 1 << 20;

/// Fails with a message naming the likely encoding when the first bytes of the input are mostly
/// not UTF-8 (a few bad bytes in an otherwise UTF-8 file are replaced record by record instead).
fn check_encoding(head: &[u8]) -> Result<()> {
    let head = &head[..head.len().min(SNIFF)];
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) || {
        let probe = &head[..head.len().min(64)];
        probe.len() >= 4 && probe.iter().filter(|&&b| b == 0).count() * 4 >= probe.len()
    } {
        return Err(Error::new(
            ErrorKind::Parse,
            "the input is not UTF-8: it looks like UTF-16 (byte order mark or zero bytes); convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)",
        ));
    }
    let (mut good, mut bad, mut c1) = (0usize, 0usize, false);
    let mut chunks = head.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        let invalid = chunk.invalid();
        // A sequence cut by the end of the examined bytes is not evidence.
        if !invalid.is_empty() && chunks.peek().is_some() {
            bad += 1;
            c1 |= invalid.iter().any(|b| (0x80..0xA0).contains(b));
        }
    }
    if bad >= 4 && bad > good {
        let likely = if c1 {
            "Windows-1252"
        } else {
            "ISO-8859-1 (Latin-1) or Windows-1252"
        };
        return Err(Error::new(
            ErrorKind::Parse,
            format!(
                "the input is not UTF-8: {bad} of the first {} non-ASCII characters are not UTF-8; it is probably {likely}: convert it to UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8)",
                bad + good
            ),
        ));
    }
    Ok(())
}

impl<R> std::fmt::Debug for DecpReader<R> {
    /// The reader's position and counts (not its buffer nor its source).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecpReader")
            .field("offset", &(self.consumed + self.pos as u64))
            .field("format", &self.format)
            .field("accounting", &self.core.acc)
            .field("eof", &self.eof)
            .finish_non_exhaustive()
    }
}

impl<R: Read> DecpReader<R> {
    /// A reader over `src` (a file, a slice, any [`Read`]).
    pub fn new(src: R) -> DecpReader<R> {
        DecpReader {
            src,
            buf: Vec::new(),
            pos: 0,
            end: 0,
            consumed: 0,
            lines: 0,
            eof: false,
            state: State::Start,
            format: None,
            core: Core {
                full: true,
                ..Core::default()
            },
            saw_marches: false,
            members: Vec::new(),
            fixed: String::new(),
            fixes: Vec::new(),
            single: false,
        }
    }

    /// Declares the number convention of the file's amounts written as text (`"12.500"` reads
    /// 12500 with [`NumberConvention::DecimalComma`], 12.50 with
    /// [`NumberConvention::DecimalPoint`]). Without it, the convention is decided by the
    /// unambiguous text amounts read before in the file (see [`crate::decp`]).
    ///
    /// ```
    /// use spaser::NumberConvention;
    /// let json = r#"{"marches":{"marche":[{"id":"1","montant":"12.500","dateNotification":"2024-01-01"}]}}"#;
    /// let mut r = spaser::decp::DecpReader::new(json.as_bytes())
    ///     .number_convention(NumberConvention::DecimalComma);
    /// let e = r.next_entry()?.unwrap();
    /// let spaser::decp::Outcome::Contract(spaser::decp::Contract::Awarded(c)) = e.outcome else { panic!() };
    /// assert_eq!(c.amount.unwrap().to_string(), "12500.00");
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn number_convention(mut self, convention: NumberConvention) -> DecpReader<R> {
        self.core.declared = Some(convention);
        self
    }

    /// Fills only the fields the indicators read (id, buyer, CPV, procedure, innovative flag,
    /// amount, duration, dates, considerations, modifications' ids, amounts, durations and
    /// dates), leaving the others empty: faster, and the same warnings, rejections and
    /// accounting as a full read. Used by [`crate::decp::indicators`].
    ///
    /// ```
    /// let json = r#"{"marches":{"marche":[{"id":"1","objet":"x","montant":5,"dateNotification":"2024-01-01"}]}}"#;
    /// let mut r = spaser::decp::DecpReader::new(json.as_bytes()).indicator_fields_only();
    /// let e = r.next_entry()?.unwrap();
    /// let spaser::decp::Outcome::Contract(spaser::decp::Contract::Awarded(c)) = e.outcome else { panic!() };
    /// assert_eq!(c.object, None);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn indicator_fields_only(mut self) -> DecpReader<R> {
        self.core.full = false;
        self
    }

    /// In an indicator-only read, also keeps the fields of the strategy indicators
    /// (techniques, nature).
    pub(crate) fn with_strategy_fields(mut self, on: bool) -> DecpReader<R> {
        self.core.strategy = on;
        self
    }

    /// The core's settings, for a parallel consumer.
    pub(crate) fn core_settings(&self) -> (bool, bool, Option<NumberConvention>) {
        (self.core.full, self.core.strategy, self.core.declared)
    }

    /// The format, once the root has been read.
    pub fn format(&self) -> Option<Format> {
        self.format
    }

    /// The accounting so far (final once [`DecpReader::next_entry`] returned `Ok(None)`).
    pub fn accounting(&self) -> Accounting {
        self.core.acc
    }

    /// Moves the unread bytes to the front and reads more. Returns false at end of input.
    fn refill(&mut self) -> Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.lines += count_newlines(&self.buf[..self.pos]);
            self.buf.copy_within(self.pos..self.end, 0);
            self.consumed += self.pos as u64;
            self.end -= self.pos;
            self.pos = 0;
        }
        // Keep at least half a chunk of free space (the buffer grows only for a record larger
        // than that).
        if self.buf.len() < self.end + CHUNK / 2 {
            self.buf.resize(self.end + CHUNK, 0);
        }
        let mut got = 0;
        while self.end + got < self.buf.len() {
            match self.src.read(&mut self.buf[self.end + got..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(Error::new(
                        ErrorKind::Io,
                        format!(
                            "reading DECP input at byte {}: {e}",
                            self.consumed + self.end as u64
                        ),
                    )
                    .with_source(e));
                }
            }
        }
        self.end += got;
        Ok(got > 0 || !self.eof)
    }

    fn syntax(&self, at: usize, expected: &str) -> Error {
        let line = self.lines + count_newlines(&self.buf[..at.min(self.end)]) + 1;
        Error::new(
            ErrorKind::Parse,
            format!(
                "byte {} (line {line}): invalid DECP JSON: expected {expected}",
                self.consumed + at as u64
            ),
        )
    }

    /// Runs `scan` on the buffer from the current position, reading more while it reports
    /// incomplete input.
    fn scan<T>(&mut self, mut scan: impl FnMut(&[u8], usize) -> Result<T, ScanError>) -> Result<T> {
        loop {
            match scan(&self.buf[..self.end], self.pos) {
                Ok(t) => return Ok(t),
                Err(ScanError::Syntax(at, what)) => return Err(self.syntax(at, what)),
                Err(ScanError::Incomplete) => {
                    if !self.refill()? {
                        return Err(self.syntax(self.end, "more input (the file is truncated)"));
                    }
                }
            }
        }
    }

    /// The next non-blank byte (not consumed).
    fn peek(&mut self) -> Result<u8> {
        self.scan(|b, i| {
            let j = skip_ws(b, i);
            b.get(j).map(|&c| (j, c)).ok_or(ScanError::Incomplete)
        })
        .map(|(j, c)| {
            self.pos = j;
            c
        })
    }

    fn expect(&mut self, c: u8, what: &str) -> Result<()> {
        if self.peek()? != c {
            return Err(self.syntax(self.pos, what));
        }
        self.pos += 1;
        Ok(())
    }

    /// Reads `"key"` `:` and returns the key.
    fn key(&mut self) -> Result<String> {
        if self.peek()? != b'"' {
            return Err(self.syntax(self.pos, "a quoted key"));
        }
        let end = self.scan(|b, i| Scanner { b }.string(i))?;
        let raw = &self.buf[self.pos..end];
        let key = match std::str::from_utf8(raw) {
            Ok(s) => Raw(s).as_str().map(Cow::into_owned).unwrap_or_default(),
            Err(e) => return Err(self.syntax(self.pos + e.valid_up_to(), "UTF-8 text")),
        };
        self.pos = end;
        self.expect(b':', "':' after a key")?;
        Ok(key)
    }

    fn skip_value(&mut self) -> Result<()> {
        self.peek()?;
        let (end, _) = self.scan(|b, i| Scanner { b }.value(i, 0, None))?;
        self.pos = end;
        Ok(())
    }

    /// After a member or element: `,` (returns true) or the closing byte (returns false).
    fn next_or_close(&mut self, close: u8, what: &str) -> Result<bool> {
        match self.peek()? {
            b',' => {
                self.pos += 1;
                Ok(true)
            }
            c if c == close => {
                self.pos += 1;
                Ok(false)
            }
            _ => Err(self.syntax(self.pos, what)),
        }
    }

    /// The next record, or `None` at the end of the file.
    ///
    /// After an error the reader is **finished**: every later call returns `Ok(None)` (it does not
    /// try to resume). The records returned before the error stay valid and counted.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] when the input is not JSON (with the byte offset and line), not a
    /// DECP document (no `marches`), or mostly not UTF-8 (the message names the likely
    /// encoding; a few bad bytes inside strings are replaced, with a warning);
    /// [`ErrorKind::Io`] when reading fails.
    pub fn next_entry(&mut self) -> Result<Option<Entry>> {
        let r = match self.advance() {
            Ok(Some(kind)) => self.record(kind).map(Some),
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        };
        self.stop_on_error(r)
    }

    /// Finishes the reader when `r` is an error (see [`DecpReader::next_entry`]).
    fn stop_on_error<T>(&mut self, r: Result<T>) -> Result<T> {
        if r.is_err() {
            self.state = State::Done;
        }
        r
    }

    /// Moves to the start of the next record and returns its kind, or `None` at the end.
    fn advance(&mut self) -> Result<Option<Kind>> {
        loop {
            match self.state {
                State::Done => return Ok(None),
                State::Start => {
                    if self.end == 0 && !self.eof {
                        self.refill()?;
                    }
                    check_encoding(&self.buf[..self.end])?;
                    if self.buf[..self.end].starts_with(&[0xEF, 0xBB, 0xBF]) {
                        self.pos = 3;
                    }
                    let at_end = self.scan(|b, i| {
                        let j = skip_ws(b, i);
                        if j < b.len() {
                            Ok(false)
                        } else {
                            Err(ScanError::Incomplete)
                        }
                    });
                    if at_end.is_err() {
                        return Err(Error::new(
                            ErrorKind::Parse,
                            "empty input: expected a DECP JSON object with \"marches\"",
                        ));
                    }
                    self.expect(b'{', "a JSON object at the root")?;
                    self.state = State::Root { first: true };
                }
                State::Root { first } => {
                    if first && self.peek()? == b'}' {
                        self.pos += 1;
                        return self.finish();
                    }
                    if !first && !self.next_or_close(b'}', "',' or '}' in the root object")? {
                        return self.finish();
                    }
                    let key = self.key()?;
                    if key == "marches" {
                        self.saw_marches = true;
                        match self.peek()? {
                            b'{' => {
                                self.pos += 1;
                                self.format = Some(Format::V2024);
                                self.state = State::Marches { first: true };
                            }
                            b'[' => {
                                self.pos += 1;
                                self.format = Some(Format::V2019);
                                self.state = State::Array {
                                    kind: Kind::Either,
                                    first: true,
                                    in_2024: false,
                                };
                            }
                            // "marches": null (or NaN): no records.
                            b'n' | b'N' => {
                                self.skip_value()?;
                                self.state = State::Root { first: false };
                            }
                            _ => {
                                return Err(self.syntax(
                                    self.pos,
                                    "an object (2024 format) or an array (2019 format) for \"marches\"",
                                ));
                            }
                        }
                    } else {
                        self.skip_value()?;
                        self.state = State::Root { first: false };
                    }
                }
                State::Marches { first } => {
                    if first && self.peek()? == b'}' {
                        self.pos += 1;
                        self.state = State::Root { first: false };
                        continue;
                    }
                    if !first && !self.next_or_close(b'}', "',' or '}' in \"marches\"")? {
                        self.state = State::Root { first: false };
                        continue;
                    }
                    let key = self.key()?;
                    let kind = match key.as_str() {
                        "marche" => Some(Kind::Marche),
                        "contrat-concession" => Some(Kind::Concession),
                        _ => None,
                    };
                    match kind {
                        Some(kind) if self.peek()? == b'[' => {
                            self.pos += 1;
                            self.state = State::Array {
                                kind,
                                first: true,
                                in_2024: true,
                            };
                        }
                        Some(_) if matches!(self.peek()?, b'n' | b'N') => {
                            // "marche": null (or NaN) — no records.
                            self.skip_value()?;
                            self.state = State::Marches { first: false };
                        }
                        Some(kind) if self.peek()? == b'{' => {
                            // One record where an array is expected: an array of one, warned.
                            self.single = true;
                            self.state = State::AfterSingle;
                            return Ok(Some(kind));
                        }
                        Some(_) => {
                            return Err(self.syntax(self.pos, "an array of records"));
                        }
                        None => {
                            self.skip_value()?;
                            self.state = State::Marches { first: false };
                        }
                    }
                }
                State::AfterSingle => {
                    self.state = State::Marches { first: false };
                }
                State::Array {
                    kind,
                    first,
                    in_2024,
                } => {
                    let close = |s: &mut Self| {
                        s.state = if in_2024 {
                            State::Marches { first: false }
                        } else {
                            State::Root { first: false }
                        };
                    };
                    if first && self.peek()? == b']' {
                        self.pos += 1;
                        close(self);
                        continue;
                    }
                    if !first && !self.next_or_close(b']', "',' or ']' in the record array")? {
                        close(self);
                        continue;
                    }
                    self.state = State::Array {
                        kind,
                        first: false,
                        in_2024,
                    };
                    return Ok(Some(kind));
                }
            }
        }
    }

    fn finish(&mut self) -> Result<Option<Kind>> {
        // Only blanks may follow the root object.
        loop {
            let j = skip_ws(&self.buf[..self.end], self.pos);
            if j < self.end {
                return Err(self.syntax(j, "nothing after the root object"));
            }
            self.pos = j;
            if !self.refill()? {
                break;
            }
        }
        self.state = State::Done;
        if !self.saw_marches {
            return Err(Error::new(
                ErrorKind::Parse,
                "not a DECP document: the root object has no \"marches\" member",
            ));
        }
        Ok(None)
    }

    /// Scans the record at the current position: its span in `buf`, its content hash; its
    /// members are left in `self.members`.
    fn scan_record(&mut self) -> Result<(usize, usize, u64)> {
        self.peek()?;
        let mut members = std::mem::take(&mut self.members);
        let scanned = self.scan(|b, i| {
            members.clear();
            Scanner { b }.value(i, 0, Some(&mut members))
        });
        let (end, hash) = scanned?;
        let start = self.pos;
        // Name the known fields here (on the reading thread of the parallel path).
        resolve_fields(&mut members, &self.buf);
        self.members = members;
        self.pos = end;
        Ok((start, end, hash))
    }

    /// Scans the record at the current position: what the record-level [`Core`] converts.
    fn scan_next(&mut self, kind: Kind) -> Result<(Scanned<'_>, &mut Core)> {
        let (start, end, hash) = self.scan_record()?;
        let single = std::mem::take(&mut self.single);
        let (text, start, hash) = record_text(
            &self.buf[start..end],
            self.consumed,
            start,
            hash,
            &mut self.fixes,
            &mut self.fixed,
            &mut self.members,
        );
        let scanned = Scanned {
            format: self.format.unwrap_or(Format::V2024),
            kind,
            text,
            start,
            members: &self.members,
            hash,
            fixes: &self.fixes,
            single,
        };
        Ok((scanned, &mut self.core))
    }

    /// Scans, converts and classifies one record.
    fn record(&mut self, kind: Kind) -> Result<Entry> {
        let (r, core) = self.scan_next(kind)?;
        Ok(core.process(&r))
    }

    /// Reads the next record into `actuals` (see [`Core::process_into`]); false at the end.
    /// After an error, finished (as [`DecpReader::next_entry`]).
    pub(crate) fn next_into(&mut self, actuals: &mut impl Sink) -> Result<bool> {
        let r = self.next_into_inner(actuals);
        self.stop_on_error(r)
    }

    fn next_into_inner(&mut self, actuals: &mut impl Sink) -> Result<bool> {
        let Some(kind) = self.advance()? else {
            return Ok(false);
        };
        let (r, core) = self.scan_next(kind)?;
        core.process_into(&r, actuals);
        Ok(true)
    }
}

/// Records scanned by the reading thread of [`crate::decp::indicators_parallel`]: their text
/// (validated UTF-8, copied out of the read buffer) and member spans in this batch's coordinates.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    pub format: Option<Format>,
    pub text: String,
    pub records: Vec<ScannedRecord>,
    pub members: Vec<Member>,
    /// Invalid UTF-8 replaced in the batch's records (`at` relative to each record's text).
    pub fixes: Vec<Fix>,
}

/// One record of a [`Batch`].
#[derive(Debug)]
pub(crate) struct ScannedRecord {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub hash: u64,
    pub members: std::ops::Range<usize>,
    pub fixes: std::ops::Range<usize>,
    pub single: bool,
}

impl<R: Read> DecpReader<R> {
    /// Fills `batch` with the next records, up to about `max_bytes` of text. Returns false when
    /// the input is exhausted (the batch may still hold its last records). After an error,
    /// finished (as [`DecpReader::next_entry`]).
    pub(crate) fn fill(&mut self, batch: &mut Batch, max_bytes: usize) -> Result<bool> {
        let r = self.fill_inner(batch, max_bytes);
        self.stop_on_error(r)
    }

    fn fill_inner(&mut self, batch: &mut Batch, max_bytes: usize) -> Result<bool> {
        batch.text.clear();
        batch.records.clear();
        batch.members.clear();
        batch.fixes.clear();
        while batch.text.len() < max_bytes {
            let Some(kind) = self.advance()? else {
                batch.format = self.format;
                return Ok(false);
            };
            let (start, end, hash) = self.scan_record()?;
            let single = std::mem::take(&mut self.single);
            let (text, origin, hash) = record_text(
                &self.buf[start..end],
                self.consumed,
                start,
                hash,
                &mut self.fixes,
                &mut self.fixed,
                &mut self.members,
            );
            let off = batch.text.len();
            batch.text.push_str(text);
            let first = batch.members.len();
            let shift = |(a, b): (usize, usize)| (a - origin + off, b - origin + off);
            batch.members.extend(self.members.iter().map(|m| Member {
                key: shift(m.key),
                value: shift(m.value),
                ..*m
            }));
            let first_fix = batch.fixes.len();
            batch.fixes.extend_from_slice(&self.fixes);
            batch.records.push(ScannedRecord {
                kind,
                start: off,
                end: off + text.len(),
                hash,
                members: first..batch.members.len(),
                fixes: first_fix..batch.fixes.len(),
                single,
            });
        }
        batch.format = self.format;
        Ok(true)
    }
}

/// Where the indicator path hands the records: contracts that count, and what the caller may
/// want to know of the others.
pub(crate) trait Sink {
    /// A contract that counts (accepted, first of its content in its file).
    fn contract(&mut self, record: u64, c: &Contract);
    /// An accepted record identical to an earlier one.
    fn duplicate(&mut self, _record: u64) {}
    /// A rejected record.
    fn rejected(&mut self, _r: Rejection) {}
    /// The warnings of one record.
    fn warnings(&mut self, _w: Vec<Warning>) {}
}

impl Sink for Actuals {
    fn contract(&mut self, _record: u64, c: &Contract) {
        self.add(c);
    }
}

/// The record-level state of a read: accounting, duplicate and key hashes, memo, and the
/// contract records are converted into.
#[derive(Debug)]
pub(crate) struct Core {
    pub acc: Accounting,
    content: HashSet64,
    keys: HashSet64,
    memo: Memo,
    pub full: bool,
    /// Keep the fields of the strategy indicators (techniques, nature) in an indicator-only
    /// read.
    pub strategy: bool,
    /// The number convention declared by the caller for amounts written as text.
    pub declared: Option<NumberConvention>,
    /// What the file's text amounts said so far about its number convention.
    votes: ConventionVotes,
    /// The contract of the last record converted (reused: its allocations are kept).
    slot: Contract,
}

impl Default for Core {
    fn default() -> Core {
        Core {
            acc: Accounting::default(),
            content: HashSet64::default(),
            keys: HashSet64::default(),
            memo: Memo::default(),
            full: false,
            strategy: false,
            declared: None,
            votes: ConventionVotes::default(),
            slot: Contract::Awarded(Default::default()),
        }
    }
}

/// A record found by the scanner: its format and kind, its text (`start`: the offset of the
/// text in the coordinates of the `members` spans), its top-level members and content hash.
#[derive(Clone, Copy)]
pub(crate) struct Scanned<'a> {
    pub format: Format,
    pub kind: Kind,
    pub text: &'a str,
    pub start: usize,
    pub members: &'a [Member],
    pub hash: u64,
    /// Invalid UTF-8 replaced in the text (`at` relative to the text).
    pub fixes: &'a [Fix],
    /// The record was a single object where an array was expected.
    pub single: bool,
}

/// What became of a record converted into [`Core`]'s slot.
enum Status {
    Accepted,
    Duplicate,
    Rejected(Rejection),
}

impl Core {
    /// Converts one record into the slot and classifies it; `members` spans are relative to
    /// `start`'s origin. Returns the record index, the status and the warnings.
    fn step(&mut self, r: &Scanned<'_>) -> (u64, Status, Vec<Warning>) {
        let Scanned {
            format,
            kind,
            text,
            start,
            members,
            hash,
            fixes,
            single,
        } = *r;
        let record_index = self.acc.read;
        self.acc.read += 1;
        let mut ctx = Ctx {
            record: record_index,
            id: None,
            format,
            warnings: Vec::new(),
            full: self.full,
            strategy: self.strategy,
            memo: std::mem::take(&mut self.memo),
            votes: self.votes,
            declared: self.declared,
        };
        let fields = Fields {
            text,
            start,
            members,
        };
        let converted = convert(&mut ctx, kind, Raw(text), &fields, &mut self.slot);
        if single {
            let array = match kind {
                Kind::Concession => "contrat-concession",
                _ => "marche",
            };
            ctx.warn(
                array,
                text,
                "a single object where the 2024 format expects an array; read as an array of one record",
            );
        }
        for fix in fixes {
            let field = fields.field_at(start + fix.at);
            ctx.warn(
                &field,
                fields.value_at(start + fix.at),
                format!(
                    "invalid UTF-8 at byte {} of the input (text not in UTF-8, such as a Windows-1252 \"é\"); the bad bytes are replaced by U+FFFD",
                    fix.offset
                ),
            );
        }
        self.memo = std::mem::take(&mut ctx.memo);
        self.votes = ctx.votes;
        let status = match converted {
            Err(rejection) => {
                self.acc.rejected += 1;
                Status::Rejected(rejection)
            }
            Ok(()) => {
                self.acc.accepted += 1;
                let (tag, buyer, id) = match &self.slot {
                    Contract::Awarded(c) => (1, c.buyer.as_ref(), &c.id),
                    Contract::Concession(c) => (2, c.authority.as_ref(), &c.id),
                };
                if !self.content.insert(hash ^ tag) {
                    self.acc.duplicates += 1;
                    Status::Duplicate
                } else {
                    let key = hash_bytes(
                        id.as_bytes(),
                        hash_bytes(buyer.map_or("", |b| b.as_str()).as_bytes(), tag),
                    );
                    if !id.is_empty() && !self.keys.insert(key) {
                        self.acc.id_collisions += 1;
                        ctx.warn(
                            "id",
                            &format!("\"{id}\""),
                            "another record has the same buyer and id but a different content (several lots under one id); kept as a distinct contract",
                        );
                    }
                    Status::Accepted
                }
            }
        };
        self.acc.warnings += ctx.warnings.len() as u64;
        (record_index, status, ctx.warnings)
    }

    /// Converts and classifies one record into an [`Entry`].
    pub fn process(&mut self, r: &Scanned<'_>) -> Entry {
        let (record, status, warnings) = self.step(r);
        let mut take = || {
            let empty = match self.slot {
                Contract::Awarded(_) => Contract::Awarded(Default::default()),
                Contract::Concession(_) => Contract::Concession(Default::default()),
            };
            std::mem::replace(&mut self.slot, empty)
        };
        let outcome = match status {
            Status::Accepted => Outcome::Contract(take()),
            Status::Duplicate => Outcome::Duplicate(take()),
            Status::Rejected(r) => Outcome::Rejected(r),
        };
        Entry {
            record,
            outcome,
            warnings,
        }
    }

    /// Converts and classifies one record and hands it to `sink` (the contract when it counts:
    /// accepted, first of its content), without building an [`Entry`]: the indicator path.
    pub fn process_into(&mut self, r: &Scanned<'_>, sink: &mut impl Sink) {
        let (record, status, warnings) = self.step(r);
        if !warnings.is_empty() {
            sink.warnings(warnings);
        }
        match status {
            Status::Accepted => sink.contract(record, &self.slot),
            Status::Duplicate => sink.duplicate(record),
            Status::Rejected(r) => sink.rejected(r),
        }
    }
}

impl<R: Read> Iterator for DecpReader<R> {
    type Item = Result<Entry>;

    /// The next entry; after an error, `None`.
    fn next(&mut self) -> Option<Result<Entry>> {
        match self.next_entry() {
            Ok(e) => e.map(Ok),
            Err(e) => {
                self.state = State::Done;
                Some(Err(e))
            }
        }
    }
}

/// The text of the record `bytes` (at `start` in the buffer, which begins at byte `consumed` of
/// the input), its UTF-8 checked once: the bytes themselves, at `start`, or the fixed copy
/// ([`fix_text`]), at 0. Returns the text, where it starts, and its content hash.
#[allow(clippy::too_many_arguments)]
fn record_text<'a>(
    bytes: &'a [u8],
    consumed: u64,
    start: usize,
    hash: u64,
    fixes: &mut Vec<Fix>,
    fixed: &'a mut String,
    members: &mut Vec<Member>,
) -> (&'a str, usize, u64) {
    match std::str::from_utf8(bytes) {
        Ok(t) => {
            fixes.clear();
            (t, start, hash)
        }
        Err(_) => {
            let hash = fix_text(bytes, consumed + start as u64, hash, fixes, fixed, members);
            (fixed.as_str(), 0, hash)
        }
    }
}

/// The text of a record whose bytes (`bytes`, from byte `base` of the input) are not UTF-8: a
/// copy in `fixed` with each invalid sequence replaced by U+FFFD, its members rescanned into
/// `members`, the replacements listed in `fixes`. Returns the content hash of the fixed text
/// (`hash`, the scanner's, if it cannot be rescanned).
fn fix_text(
    bytes: &[u8],
    base: u64,
    hash: u64,
    fixes: &mut Vec<Fix>,
    fixed: &mut String,
    members: &mut Vec<Member>,
) -> u64 {
    fixes.clear();
    fixed.clear();
    let mut off = 0usize;
    for chunk in bytes.utf8_chunks() {
        fixed.push_str(chunk.valid());
        off += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            fixes.push(Fix {
                offset: base + off as u64,
                at: fixed.len(),
            });
            fixed.push('\u{FFFD}');
            off += chunk.invalid().len();
        }
    }
    // Bad bytes can only be inside strings (the scanner accepted the record): the fixed
    // text is valid JSON; rescan it for its members and hash.
    members.clear();
    let scanner = Scanner {
        b: fixed.as_bytes(),
    };
    let hash = match scanner.value(0, 0, Some(members)) {
        Ok((_, h)) => h,
        Err(_) => hash,
    };
    resolve_fields(members, fixed.as_bytes());
    hash
}
