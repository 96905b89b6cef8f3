//! Reading DECP files of any format, several at once: the format detected from the content,
//! contracts deduplicated across files, a [`Filter`], and every report (indicators, strategy,
//! data quality, audit, names) in one [`DecpReport`].

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::actuals::{Actuals, ActualsReport};
use super::diag::{Accounting, Rejection, Warning};
use super::filter::Filter;
use super::format::Format;
use super::model::{AwardedContract, Concession, Contract, Identifier};
use super::quality::{Quality, QualityReport};
use super::reader::{DecpReader, Sink};
use super::strategy::{Strategy, StrategyReport};
use super::table::{Consolidator, Needs, Reduced, Totalled};
use crate::error::{Error, ErrorKind, Result};
use crate::indicators::{GroupBy, Purchase};
use crate::util::hash::{HashSet64, hash_bytes};
use crate::util::text::excerpt;
use crate::values::buyer_kind::BuyerKind;
use crate::values::money::NumberConvention;

/// The encoding of a DECP file, detected from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SourceFormat {
    /// Regulatory JSON (2019 or 2024 format).
    Json,
    /// Regulatory XML (2019 or 2024 format).
    Xml,
    /// Consolidated national file, CSV (decp-processing's `decp.csv`).
    Csv,
    /// Consolidated national file, Parquet (decp-processing's `decp.parquet`).
    Parquet,
}

impl fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SourceFormat::Json => "json",
            SourceFormat::Xml => "xml",
            SourceFormat::Csv => "csv",
            SourceFormat::Parquet => "parquet",
        })
    }
}

/// The format of a file from its first bytes: Parquet's magic number, a JSON object, an XML
/// document, or a CSV header with the consolidated file's `uid` and `acheteur_id` columns.
fn detect(head: &[u8]) -> Option<SourceFormat> {
    if head.starts_with(b"PAR1") {
        return Some(SourceFormat::Parquet);
    }
    let body = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    match body[start] {
        b'{' | b'[' => return Some(SourceFormat::Json),
        b'<' => return Some(SourceFormat::Xml),
        _ => {}
    }
    let line_end = body.iter().position(|&b| b == b'\n').unwrap_or(body.len());
    let line = String::from_utf8_lossy(&body[..line_end]);
    let cols: Vec<&str> = line
        .split(',')
        .map(|c| c.trim().trim_matches('"'))
        .collect();
    (cols.contains(&"uid") && cols.contains(&"acheteur_id")).then_some(SourceFormat::Csv)
}

fn not_decp(name: &str, head: &[u8]) -> Error {
    let start = String::from_utf8_lossy(&head[..head.len().min(60)]).into_owned();
    Error::new(
        ErrorKind::Parse,
        format!(
            "{name}: not a DECP file (JSON, XML, consolidated CSV or Parquet): it starts with \"{}\"",
            excerpt(start.trim())
        ),
    )
}

enum Src {
    Path(PathBuf),
    Reader(Box<dyn BufRead + Send>),
}

/// One DECP file to read, its format detected ([`open`], [`Input::from_reader`]).
pub struct Input {
    name: String,
    format: SourceFormat,
    src: Src,
}

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Input")
            .field("name", &self.name)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

/// Opens a DECP file and detects its format from its content (not its name): JSON or XML of
/// the regulatory formats (2019, 2024), the consolidated national file in CSV or Parquet.
///
/// # Errors
/// [`ErrorKind::Io`] when the file cannot be read (the message names it);
/// [`ErrorKind::Parse`] when its content is none of the formats.
///
/// ```
/// let input = spaser::decp::open("tests/data/decp/real/dematis13.json")?;
/// assert_eq!(input.format(), spaser::decp::SourceFormat::Json);
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn open(path: impl AsRef<Path>) -> Result<Input> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let io = |e: std::io::Error| Error::new(ErrorKind::Io, format!("{name}: {e}")).with_source(e);
    let mut f = File::open(path).map_err(io)?;
    let mut head = vec![0u8; 8192];
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io(e)),
        }
    }
    head.truncate(n);
    let format = detect(&head).ok_or_else(|| not_decp(&name, &head))?;
    Ok(Input {
        name,
        format,
        src: Src::Path(path.to_path_buf()),
    })
}

impl Input {
    /// A DECP stream (standard input, a network body…), its format detected from its first
    /// bytes. A Parquet stream is read whole into memory (Parquet needs to seek).
    ///
    /// # Errors
    /// [`ErrorKind::Io`] when reading fails; [`ErrorKind::Parse`] when the content is none of
    /// the formats.
    ///
    /// ```
    /// let json = r#"{"marches":{"marche":[]}}"#;
    /// let input = spaser::decp::Input::from_reader("-", json.as_bytes())?;
    /// assert_eq!(input.format(), spaser::decp::SourceFormat::Json);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn from_reader(name: &str, src: impl Read + Send + 'static) -> Result<Input> {
        let mut r = BufReader::with_capacity(1 << 20, src);
        let head = r
            .fill_buf()
            .map_err(|e| Error::new(ErrorKind::Io, format!("{name}: {e}")).with_source(e))?;
        let format = detect(head).ok_or_else(|| not_decp(name, head))?;
        Ok(Input {
            name: name.to_string(),
            format,
            src: Src::Reader(Box::new(r)),
        })
    }

    /// The name given (the path, or the name passed to [`Input::from_reader`]).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The format detected.
    pub fn format(&self) -> SourceFormat {
        self.format
    }
}

/// What a read keeps and computes. The simple call is `Options::default()`: every indicator
/// with the buyer, CPV division, procedure and nature breakdowns, the strategy indicators, the
/// data-quality report, the audit and the names, warnings counted but not kept.
///
/// ```
/// use spaser::decp::{Filter, Options};
/// let options = Options::default()
///     .filter(Filter::new().buyer("21350238800019").year(2024))
///     .keep_diagnostics(true);
/// assert!(options.keeps_diagnostics());
/// ```
#[derive(Debug, Clone)]
pub struct Options {
    filter: Filter,
    keep_diagnostics: bool,
    breakdowns: Vec<GroupBy>,
    strategy: bool,
    quality: bool,
    audit: bool,
    names: bool,
    full: bool,
    convention: Option<NumberConvention>,
    audit_buyer_kind: BuyerKind,
    contracts: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            filter: Filter::default(),
            keep_diagnostics: false,
            breakdowns: vec![
                GroupBy::Buyer,
                GroupBy::CpvDivision,
                GroupBy::Procedure,
                GroupBy::Nature,
            ],
            strategy: true,
            quality: true,
            audit: true,
            names: true,
            full: false,
            convention: None,
            audit_buyer_kind: BuyerKind::OtherContractingAuthority,
            contracts: false,
        }
    }
}

impl Options {
    /// Only the yearly totals of the standard indicators (the peers' `by_year`): no breakdown,
    /// strategy, quality, audit or names — the least work.
    pub fn totals_only() -> Options {
        Options {
            breakdowns: Vec::new(),
            strategy: false,
            quality: false,
            audit: false,
            names: false,
            ..Options::default()
        }
    }

    /// The columns of a consolidated file a read with these options needs.
    fn needs(&self) -> Needs {
        Needs {
            full: self.full,
            strategy: self.strategy,
            names: self.names,
            details: !self.breakdowns.is_empty()
                || self.audit
                || self.quality
                || !self.filter.is_empty(),
        }
    }

    /// Whether a read with these options only counts the contracts in the yearly indicators
    /// and keeps nothing else of them (no detail read — so no breakdown, audit, quality report
    /// or filter either —, no contract, warning or rejection kept): then a consolidated file's
    /// contracts are counted without being built.
    fn counts_only(&self) -> bool {
        !self.needs().detailed() && !self.contracts && !self.keep_diagnostics
    }

    /// Keeps only the contracts the filter keeps.
    pub fn filter(mut self, filter: Filter) -> Options {
        self.filter = filter;
        self
    }

    /// Keeps every warning and rejection in the report (else they are counted only).
    pub fn keep_diagnostics(mut self, on: bool) -> Options {
        self.keep_diagnostics = on;
        self
    }

    /// Whether warnings and rejections are kept.
    pub fn keeps_diagnostics(&self) -> bool {
        self.keep_diagnostics
    }

    /// The breakdowns of the indicators, beside the yearly totals.
    pub fn breakdowns(mut self, breakdowns: &[GroupBy]) -> Options {
        self.breakdowns = breakdowns.to_vec();
        self
    }

    /// Computes the strategy indicators.
    pub fn strategy(mut self, on: bool) -> Options {
        self.strategy = on;
        self
    }

    /// Computes the data-quality report of each file.
    pub fn quality(mut self, on: bool) -> Options {
        self.quality = on;
        self
    }

    /// Audits the contracts against the obligations of the law (L2112-2, L2112-2-1, R2152-7).
    pub fn audit(mut self, on: bool) -> Options {
        self.audit = on;
        self
    }

    /// Collects the names of buyers and holders where the files give them.
    pub fn names(mut self, on: bool) -> Options {
        self.names = on;
        self
    }

    /// Reads every field of the records (slower; the indicators need only some).
    pub fn full(mut self, on: bool) -> Options {
        self.full = on;
        self
    }

    /// Declares the number convention of amounts written as text (see
    /// [`DecpReader::number_convention`]).
    pub fn number_convention(mut self, convention: NumberConvention) -> Options {
        self.convention = Some(convention);
        self
    }

    /// Keeps the marchés the read counts (after deduplication and the filter) in
    /// [`DecpReport::contracts`], for the callers that work on contracts (the follow-up's
    /// linking, maturity's evidence). Combine with [`Options::full`] for every field.
    ///
    /// ```
    /// use spaser::decp::{self, Filter, Options};
    /// let report = decp::read_paths(
    ///     &["tests/data/decp/real/dematis13.json"],
    ///     Options::totals_only().full(true).contracts(true).filter(Filter::new().year(2024)),
    /// )?;
    /// assert!(!report.contracts.is_empty());
    /// use chrono::Datelike;
    /// assert!(report.contracts.iter().all(|c| c.notification_date.is_some_and(|d| d.year() == 2024)));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn contracts(mut self, on: bool) -> Options {
        self.contracts = on;
        self
    }

    /// The kind of buyer whose EU threshold the L2112-2-1 audit uses (see
    /// [`Actuals::audit_buyer_kind`]).
    pub fn audit_buyer_kind(mut self, kind: BuyerKind) -> Options {
        self.audit_buyer_kind = kind;
        self
    }
}

/// What became of one file of a read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FileReport {
    /// The name of the input.
    pub name: String,
    /// Its encoding.
    pub format: SourceFormat,
    /// The regulatory format of a JSON or XML file (`None` for the consolidated files).
    pub version: Option<Format>,
    /// Every record (row) accounted for.
    pub accounting: Accounting,
    /// Contracts that count in the indicators.
    pub kept: u64,
    /// Contracts left out by the filter.
    pub filtered_out: u64,
    /// Contracts already read from an earlier file (same buyer and id).
    pub cross_file_duplicates: u64,
    /// The warnings, when kept ([`Options::keep_diagnostics`]).
    pub warnings: Vec<Warning>,
    /// The rejected records, when kept.
    pub rejected: Vec<Rejection>,
    /// The data-quality report, when computed.
    pub quality: Option<QualityReport>,
}

/// Everything a read computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DecpReport {
    /// Each file, in the order read.
    pub files: Vec<FileReport>,
    /// The sum of the files' accounting.
    pub accounting: Accounting,
    /// The indicators (marchés and concessions) and the audit.
    pub actuals: ActualsReport,
    /// The strategy indicators of the marchés, when computed.
    pub strategy: Option<StrategyReport>,
    /// Names of buyers and holders by identifier, where the files give them.
    pub names: BTreeMap<String, String>,
    /// Records read that the indicators leave out, by reason (rejections by their reason,
    /// duplicates, contracts read from an earlier file, contracts filtered out).
    pub left_out: BTreeMap<String, u64>,
    /// The marchés counted, in the order read, when asked for ([`Options::contracts`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contracts: Vec<AwardedContract>,
}

/// A read of one or several DECP files into one report (see [`read_paths`] for the simple
/// call). Files are read in turn; a contract of a later file whose buyer and id (the
/// consolidated file's `uid`, ids compared with blanks and `,./\` read as `_`) were read from an
/// earlier file counts once — the first file wins. Within a file, records identical in content
/// count once and records sharing buyer and id with a different content are distinct contracts
/// (lots), as in [`DecpReader`].
#[derive(Debug)]
pub struct Reading {
    options: Options,
    actuals: Actuals,
    strategy: Option<Strategy>,
    names: BTreeMap<String, String>,
    seen: HashSet64,
    /// Keys of the last file read, not yet in `seen`.
    unseen: Vec<u64>,
    files: Vec<FileReport>,
    left_out: BTreeMap<String, u64>,
    accounting: Accounting,
    contracts: Vec<AwardedContract>,
}

impl FileReport {
    /// The report of a file before anything is read.
    fn empty(name: String, format: SourceFormat) -> FileReport {
        FileReport {
            name,
            format,
            version: None,
            accounting: Accounting::default(),
            kept: 0,
            filtered_out: 0,
            cross_file_duplicates: 0,
            warnings: Vec::new(),
            rejected: Vec::new(),
            quality: None,
        }
    }
}

/// What a rejection's reason says in general, for counting rejections by reason: without the
/// row it names (`row 12: `), the value it quotes (`; the row begins "…"`) or its details
/// (` (…)`).
fn reason_head(reason: &str) -> &str {
    let r = match reason.strip_prefix("row ") {
        Some(rest) => match rest.split_once(": ") {
            Some((n, tail)) if !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()) => tail,
            _ => reason,
        },
        None => reason,
    };
    let end = [r.find(" ("), r.find("; ")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(r.len());
    &r[..end]
}

/// The key of a contract across files: buyer and id as the consolidated file's `uid`.
fn contract_key(kind: u64, buyer: Option<&Identifier>, id: &str) -> u64 {
    let buyer = buyer.map_or("", |b| b.as_str()).trim().as_bytes();
    let id = id.trim().as_bytes();
    let n = buyer.len() + id.len();
    // Most keys fit on the stack (a SIRET and an id of a few tens of bytes).
    let mut stack = [0u8; 96];
    let mut heap = Vec::new();
    let uid: &mut [u8] = if n <= stack.len() {
        &mut stack[..n]
    } else {
        heap.resize(n, 0);
        &mut heap
    };
    uid[..buyer.len()].copy_from_slice(buyer);
    for (d, &c) in uid[buyer.len()..].iter_mut().zip(id) {
        *d = if matches!(c, b' ' | b',' | b'.' | b'/' | b'\\') {
            b'_'
        } else {
            c
        };
    }
    hash_bytes(uid, kind)
}

/// The per-file state a read's records go through.
struct FileSink<'r> {
    options: &'r Options,
    actuals: &'r mut Actuals,
    strategy: Option<&'r mut Strategy>,
    names: &'r mut BTreeMap<String, String>,
    seen: &'r HashSet64,
    /// The keys of this file's contracts (added to `seen` when a next file comes).
    this_file: Vec<u64>,
    quality: Option<Quality>,
    left_out: &'r mut BTreeMap<String, u64>,
    contracts: &'r mut Vec<AwardedContract>,
    report: FileReport,
}

impl FileSink<'_> {
    fn leave_out(&mut self, why: &str) {
        *self.left_out.entry(why.to_string()).or_default() += 1;
    }

    /// Whether a contract was read from an earlier file (then counted); else remembered.
    fn seen_before(&mut self, key: u64, id: &str) -> bool {
        if !id.is_empty() && self.seen.contains(&key) {
            self.report.cross_file_duplicates += 1;
            if let Some(q) = &mut self.quality {
                q.cross_file_duplicate();
            }
            self.leave_out("already read from an earlier file");
            return true;
        }
        self.this_file.push(key);
        false
    }

    fn marche(&mut self, record: u64, c: &AwardedContract) {
        if self.seen_before(contract_key(1, c.buyer.as_ref(), &c.id), &c.id) {
            return;
        }
        if !self.options.filter.matches(c) {
            self.report.filtered_out += 1;
            self.leave_out("filtered out");
            return;
        }
        self.report.kept += 1;
        self.actuals.add_marche(c);
        if self.options.contracts {
            self.contracts.push(c.clone());
        }
        if let Some(s) = &mut self.strategy {
            s.add(c);
        }
        if let Some(q) = &mut self.quality {
            q.add(record, c);
        }
        if self.options.names {
            if let (Some(b), Some(n)) = (&c.buyer, &c.buyer_name) {
                self.names.entry(b.to_string()).or_insert_with(|| n.clone());
            }
            for h in c.current_holders().iter().chain(&c.holders) {
                if let Some(n) = &h.name {
                    self.names
                        .entry(h.id.to_string())
                        .or_insert_with(|| n.clone());
                }
            }
        }
    }

    /// A marché counted by its purchase alone (a read that only counts: see
    /// [`Options::counts_only`]), `id` its id (what the cross-file key is made of, as
    /// [`FileSink::marche`] makes it without a buyer).
    fn purchase(&mut self, id: &str, p: &Purchase<'_>) {
        if self.seen_before(contract_key(1, None, id), id) {
            return;
        }
        debug_assert!(self.options.filter.is_empty());
        self.report.kept += 1;
        self.actuals.add_purchase(p);
    }

    fn concession(&mut self, c: &Concession) {
        if self.seen_before(contract_key(2, c.authority.as_ref(), &c.id), &c.id) {
            return;
        }
        if !self.options.filter.matches_concession(c) {
            self.report.filtered_out += 1;
            self.leave_out("filtered out");
            return;
        }
        self.report.kept += 1;
        self.actuals.add_concession(c);
        if self.options.names {
            for h in c.current_holders() {
                if let Some(n) = &h.name {
                    self.names
                        .entry(h.id.to_string())
                        .or_insert_with(|| n.clone());
                }
            }
        }
    }
}

impl Sink for FileSink<'_> {
    fn contract(&mut self, record: u64, c: &Contract) {
        match c {
            Contract::Awarded(a) => self.marche(record, a),
            Contract::Concession(k) => self.concession(k),
        }
    }

    fn duplicate(&mut self, _record: u64) {
        if let Some(q) = &mut self.quality {
            q.duplicate();
        }
        self.leave_out("duplicate of an earlier record of the file");
    }

    fn rejected(&mut self, r: Rejection) {
        if let Some(q) = &mut self.quality {
            q.rejected(&r);
        }
        let why = format!("rejected: {}", reason_head(&r.reason));
        self.leave_out(&why);
        if self.options.keep_diagnostics {
            self.report.rejected.push(r);
        }
    }

    fn warnings(&mut self, w: Vec<Warning>) {
        if let Some(q) = &mut self.quality {
            q.warnings(&w);
        }
        if self.options.keep_diagnostics {
            self.report.warnings.extend(w);
        }
    }
}

impl Reading {
    /// A read with these options.
    pub fn new(options: Options) -> Reading {
        let mut actuals = Actuals::with_breakdowns(&options.breakdowns)
            .audit_buyer_kind(options.audit_buyer_kind);
        if !options.audit {
            actuals = actuals.without_audit();
        }
        Reading {
            strategy: options.strategy.then(|| Strategy::new(&options.breakdowns)),
            actuals,
            options,
            names: BTreeMap::new(),
            seen: HashSet64::default(),
            unseen: Vec::new(),
            files: Vec::new(),
            left_out: BTreeMap::new(),
            accounting: Accounting::default(),
            contracts: Vec::new(),
        }
    }

    /// Opens a file ([`open`]) and reads it.
    ///
    /// # Errors
    /// As [`open`] and [`Reading::add`].
    pub fn add_path(&mut self, path: impl AsRef<Path>) -> Result<&FileReport> {
        let input = open(path)?;
        self.add(input)
    }

    /// Reads one file whole into the report.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] when the file is not readable as its format (the message names the
    /// file and where), [`ErrorKind::Missing`] when a consolidated file lacks a required column,
    /// [`ErrorKind::Io`] when reading fails. The contracts read before an error stay counted.
    pub fn add(&mut self, input: Input) -> Result<&FileReport> {
        let name = input.name.clone();
        let mut keys = std::mem::take(&mut self.unseen);
        self.seen.extend(keys.drain(..));
        let needs = self.options.needs();
        let mut sink = FileSink {
            options: &self.options,
            actuals: &mut self.actuals,
            strategy: self.strategy.as_mut(),
            names: &mut self.names,
            seen: &self.seen,
            this_file: keys,
            quality: self.options.quality.then(Quality::default),
            left_out: &mut self.left_out,
            contracts: &mut self.contracts,
            report: FileReport::empty(name.clone(), input.format),
        };
        let result = read_into(input, &mut sink, needs);
        let FileSink {
            this_file,
            quality,
            mut report,
            ..
        } = sink;
        // Kept aside: the set of keys is only needed if another file is read.
        self.unseen = this_file;
        report.quality = quality.map(Quality::finish);
        match result {
            Ok((acc, version)) => {
                report.accounting = acc;
                report.version = version;
            }
            Err(e) => {
                return Err(Error::new(e.kind(), format!("{name}: {e}")).with_source(e));
            }
        }
        self.accounting.add(&report.accounting);
        self.files.push(report);
        self.files
            .last()
            .ok_or_else(|| Error::new(ErrorKind::Io, format!("{name}: no report kept")))
    }

    /// The report of everything read.
    pub fn finish(self) -> DecpReport {
        let mut actuals = self.actuals.finish();
        actuals.accounting = self.accounting;
        DecpReport {
            files: self.files,
            accounting: self.accounting,
            actuals,
            strategy: self.strategy.map(Strategy::finish),
            names: self.names,
            left_out: self.left_out,
            contracts: self.contracts,
        }
    }
}

/// Reads one input into the sink; returns its accounting and regulatory version.
fn read_into(
    input: Input,
    sink: &mut FileSink<'_>,
    needs: Needs,
) -> Result<(Accounting, Option<Format>)> {
    let options = sink.options.clone();
    let reader: Box<dyn BufRead + Send> = match input.src {
        Src::Path(p) if input.format != SourceFormat::Parquet => {
            let f = File::open(&p)
                .map_err(|e| Error::new(ErrorKind::Io, e.to_string()).with_source(e))?;
            Box::new(BufReader::with_capacity(1 << 16, f))
        }
        Src::Path(p) => return read_parquet_path(&p, sink, needs),
        Src::Reader(r) => r,
    };
    match input.format {
        SourceFormat::Json => {
            let mut r = DecpReader::new(reader).with_strategy_fields(options.strategy);
            if let Some(c) = options.convention {
                r = r.number_convention(c);
            }
            if !options.full {
                r = r.indicator_fields_only();
            }
            if options.keep_diagnostics || options.quality {
                while r.next_into(sink)? {}
                Ok((r.accounting(), r.format()))
            } else {
                super::read::read_parallel(r, sink)
            }
        }
        SourceFormat::Xml => read_xml(reader, sink, &options),
        SourceFormat::Csv => {
            let mut cons =
                Consolidator::new(needs, buyers_only(&options.filter), options.convention);
            super::consolidated::read_csv(reader, &mut cons, needs)?;
            Ok((drain(vec![cons], sink), None))
        }
        SourceFormat::Parquet => read_parquet_stream(reader, sink, needs),
    }
}

#[cfg(feature = "xml")]
fn read_xml(
    reader: Box<dyn BufRead + Send>,
    sink: &mut FileSink<'_>,
    options: &Options,
) -> Result<(Accounting, Option<Format>)> {
    let mut r = super::xml::XmlReader::new(reader)
        .with_strategy_fields(options.strategy)
        .with_convention(options.convention);
    if !options.full {
        r = r.indicator_fields_only();
    }
    while r.next_into(sink)? {}
    Ok((r.accounting(), r.format()))
}

#[cfg(not(feature = "xml"))]
fn read_xml(
    _reader: Box<dyn BufRead + Send>,
    _sink: &mut FileSink<'_>,
    _options: &Options,
) -> Result<(Accounting, Option<Format>)> {
    Err(Error::new(
        ErrorKind::Parse,
        "a DECP XML file: this build of spaser reads XML with the `xml` feature",
    ))
}

/// A filter with only the buyer criterion (applied to rows before grouping), if any.
fn buyers_only(f: &Filter) -> Option<Filter> {
    (!f.buyers.is_empty()).then(|| Filter {
        buyers: f.buyers.clone(),
        ..Filter::default()
    })
}

/// Reduces the consolidated rows to contracts into the sink; returns the accounting.
///
/// Without a quality report or strategy indicators (which have no merge), the second half of
/// the contracts goes, on another thread, into a sink of its own (fresh actuals, names,
/// counts), merged after the first half: the same result as one sink in order.
fn drain(mut shards: Vec<Consolidator>, sink: &mut FileSink<'_>) -> Accounting {
    // The rows' own diagnostics, of every shard, in row order.
    let mut rows_alone = Vec::new();
    let mut row_warnings = Vec::new();
    for c in &mut shards {
        let (r, w) = c.take_row_diagnostics();
        rows_alone.extend(r);
        row_warnings.extend(w);
    }
    if shards.len() > 1 {
        rows_alone.sort_by_key(|r| r.record);
        row_warnings.sort_by_key(|w| w.record);
    }
    if !row_warnings.is_empty() {
        sink.warnings(row_warnings);
    }
    for r in rows_alone {
        sink.rejected(r);
    }
    let hand = |sink: &mut FileSink<'_>, reduced: Reduced<'_>| {
        if !reduced.warnings.is_empty() {
            sink.warnings(reduced.warnings);
        }
        match reduced.outcome {
            Ok(c) => sink.marche(reduced.record, c),
            Err(r) => sink.rejected(r),
        }
    };
    let hand_totals = |sink: &mut FileSink<'_>, t: Totalled<'_>| {
        if !t.warnings.is_empty() {
            sink.warnings(t.warnings);
        }
        match t.outcome {
            Ok(p) => sink.purchase(t.id, &p),
            Err(r) => sink.rejected(r),
        }
    };
    if sink.quality.is_some() || sink.strategy.is_some() {
        return Consolidator::finish_all(
            shards,
            |reduced| hand(sink, reduced),
            None::<fn(Reduced<'_>)>,
        );
    }
    let mut actuals = sink.actuals.empty_like();
    let mut names = BTreeMap::new();
    let mut left_out = BTreeMap::new();
    let mut contracts = Vec::new();
    let mut tail = FileSink {
        options: sink.options,
        actuals: &mut actuals,
        strategy: None,
        names: &mut names,
        seen: sink.seen,
        this_file: Vec::new(),
        quality: None,
        left_out: &mut left_out,
        contracts: &mut contracts,
        report: FileReport::empty(String::new(), sink.report.format),
    };
    let acc = if sink.options.counts_only() {
        Consolidator::finish_totals(
            shards,
            |t| hand_totals(sink, t),
            Some(|t: Totalled<'_>| hand_totals(&mut tail, t)),
        )
    } else {
        Consolidator::finish_all(
            shards,
            |reduced| hand(sink, reduced),
            Some(|reduced: Reduced<'_>| hand(&mut tail, reduced)),
        )
    };
    let FileSink {
        this_file, report, ..
    } = tail;
    sink.actuals.merge(actuals);
    for (k, v) in names {
        sink.names.entry(k).or_insert(v);
    }
    for (k, n) in left_out {
        *sink.left_out.entry(k).or_default() += n;
    }
    sink.contracts.extend(contracts);
    sink.this_file.extend(this_file);
    let r = &mut sink.report;
    r.kept += report.kept;
    r.filtered_out += report.filtered_out;
    r.cross_file_duplicates += report.cross_file_duplicates;
    r.warnings.extend(report.warnings);
    r.rejected.extend(report.rejected);
    acc
}

#[cfg(feature = "parquet")]
fn read_parquet_path(
    p: &Path,
    sink: &mut FileSink<'_>,
    needs: Needs,
) -> Result<(Accounting, Option<Format>)> {
    let f = File::open(p).map_err(|e| Error::new(ErrorKind::Io, e.to_string()).with_source(e))?;
    let cons = Consolidator::new(
        needs,
        buyers_only(&sink.options.filter),
        sink.options.convention,
    );
    #[cfg(any(unix, windows))]
    let shards =
        super::parquet::read_parquet(super::parquet::PositionalFile::new(f)?, cons, needs, true)?;
    #[cfg(not(any(unix, windows)))]
    let shards = super::parquet::read_parquet(f, cons, needs, false)?;
    Ok((drain(shards, sink), None))
}

#[cfg(feature = "parquet")]
fn read_parquet_stream(
    mut r: Box<dyn BufRead + Send>,
    sink: &mut FileSink<'_>,
    needs: Needs,
) -> Result<(Accounting, Option<Format>)> {
    let mut all = Vec::new();
    r.read_to_end(&mut all)
        .map_err(|e| Error::new(ErrorKind::Io, e.to_string()).with_source(e))?;
    let cons = Consolidator::new(
        needs,
        buyers_only(&sink.options.filter),
        sink.options.convention,
    );
    let shards = super::parquet::read_parquet(bytes::Bytes::from(all), cons, needs, true)?;
    Ok((drain(shards, sink), None))
}

#[cfg(not(feature = "parquet"))]
fn no_parquet() -> Error {
    Error::new(
        ErrorKind::Parse,
        "a Parquet file: this build of spaser reads Parquet with the `parquet` feature (cargo install spaser --features parquet), or convert the file to CSV",
    )
}

#[cfg(not(feature = "parquet"))]
fn read_parquet_path(
    _p: &Path,
    _sink: &mut FileSink<'_>,
    _needs: Needs,
) -> Result<(Accounting, Option<Format>)> {
    Err(no_parquet())
}

#[cfg(not(feature = "parquet"))]
fn read_parquet_stream(
    _r: Box<dyn BufRead + Send>,
    _sink: &mut FileSink<'_>,
    _needs: Needs,
) -> Result<(Accounting, Option<Format>)> {
    Err(no_parquet())
}

/// Reads DECP files of any format (detected from their content) into one report, with the
/// contracts read in several files counted once (see [`Reading`]).
///
/// # Errors
/// As [`Reading::add_path`], for the first file that fails.
///
/// ```
/// use spaser::decp::{self, Filter, Options};
/// let report = decp::read_paths(
///     &["tests/data/decp/real/dematis13.json", "tests/data/decp/real/dematis27.json"],
///     Options::default().filter(Filter::new().year(2024)),
/// )?;
/// assert_eq!(report.files.len(), 2);
/// assert!(report.accounting.balances());
/// assert!(report.actuals.marches.years().iter().all(|&y| y == 2024));
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn read_paths<P: AsRef<Path>>(paths: &[P], options: Options) -> Result<DecpReport> {
    let mut reading = Reading::new(options);
    for p in paths {
        reading.add_path(p)?;
    }
    Ok(reading.finish())
}
