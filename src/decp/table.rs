//! The consolidated national DECP (decp-processing's `decp.parquet` / `decp.csv`): one row per
//! contract × version × holder, reduced to one [`AwardedContract`] per `uid`.
//!
//! The readers of the two encodings ([`super::consolidated`] for the CSV, `super::parquet` for
//! the Parquet) hand rows of typed cells ([`Val`]) to a [`Consolidator`], which groups them by
//! `uid`, keeps the current version (`donneesActuelles`, else the highest `modification_id`),
//! gathers its holders and builds the contracts at the end, accounting for every row.

use std::borrow::Cow;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

use super::actuals::purchase_parts;
use super::diag::{Accounting, Rejection, Warning};
use super::filter::{Filter, normalise_procedure};
use super::model::{AwardedContract, Considerations, Holder, Identifier, Modification};
use crate::indicators::{Coverage, Purchase};
use crate::util::hash::{FastMap, hash_bytes};
use crate::util::text::excerpt;
use crate::values::cpv::CpvCode;
use crate::values::date::{EARLIEST_YEAR, LATEST_YEAR, plausible_date};
use crate::values::money::{Amount, ConventionVotes, NumberConvention, parse_decimal_with};
use crate::vocabulary::consideration::Consideration;
use crate::vocabulary::dimension::{Dimension, Instrument};

/// One cell of a consolidated row, as its encoding types it (the CSV gives text, the Parquet
/// typed values).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(not(feature = "parquet"), allow(dead_code))]
pub(crate) enum Val<'a> {
    /// Empty or null.
    #[default]
    Null,
    /// Text as bytes (UTF-8 is checked where the text is kept).
    Text(&'a [u8]),
    Num(f64),
    Int(i64),
    /// Days since 1970-01-01 (Parquet `DATE`).
    Day(i32),
    Bool(bool),
    /// A date already read from a cell's text by [`typed_cell`] (plausible).
    Date(NaiveDate),
    /// An amount in cents already read from a cell's text by [`typed_cell`].
    Cents(u64),
}

/// `b` without leading and trailing ASCII blanks.
fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

impl<'a> Val<'a> {
    /// The text, trimmed, when not blank (a uid as rows are grouped by).
    pub(crate) fn bytes(self) -> Option<&'a [u8]> {
        match self {
            Val::Text(t) => {
                let t = trim(t);
                (!t.is_empty()).then_some(t)
            }
            _ => None,
        }
    }

    /// A raw rendering for messages.
    fn show(self) -> Cow<'a, str> {
        match self {
            Val::Null => Cow::Borrowed("null"),
            Val::Text(t) => Cow::Owned(format!("\"{}\"", excerpt(&String::from_utf8_lossy(t)))),
            Val::Num(n) => Cow::Owned(n.to_string()),
            Val::Int(i) => Cow::Owned(i.to_string()),
            Val::Day(d) => Cow::Owned(day(d).map_or(d.to_string(), |d| d.to_string())),
            Val::Bool(b) => Cow::Owned(b.to_string()),
            Val::Date(d) => Cow::Owned(d.to_string()),
            Val::Cents(c) => Cow::Owned(format!("{}.{:02}", c / 100, c % 100)),
        }
    }
}

/// The typed value the [`Consolidator`] reads from the text `t` of a cell of column `col`,
/// when the text is in the common form it reads without a warning (`2024-03-15`, `true`,
/// `2`, `137614.25`); [`Val::Null`] otherwise (the cell is then handed over as text). A CSV
/// reader calls it on the thread that split the row, so that the reducing thread reads typed
/// values: the contracts and warnings are the same either way (tested).
pub(crate) fn typed_cell(col: Col, t: &[u8]) -> Val<'static> {
    let t = trim(t);
    if t.is_empty() {
        return Val::Null;
    }
    match col {
        Col::DateNotification => match iso_day(t.get(..10).unwrap_or(t)) {
            Some(d) if plausible_date(d) => Val::Date(d),
            _ => Val::Null,
        },
        Col::DonneesActuelles => match t {
            b"true" | b"True" | b"TRUE" => Val::Bool(true),
            b"false" | b"False" | b"FALSE" => Val::Bool(false),
            _ => Val::Null,
        },
        Col::ModificationId => std::str::from_utf8(t)
            .ok()
            .and_then(|s| s.parse::<i64>().ok())
            .map_or(Val::Null, Val::Int),
        Col::Montant => plain_cents(t)
            .filter(|&c| c <= MAX_CENTS)
            .map_or(Val::Null, Val::Cents),
        _ => Val::Null,
    }
}

/// `YYYY-MM-DD` exactly, without chrono's format machinery.
fn iso_day(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let y = i32::try_from(num(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(y, num(5..7)?, num(8..10)?)
}

/// The cents of a plain decimal text (`40000`, `40000.5`, `137614.25`: digits, at most one
/// point and two decimals, below 10^15 cents), the common case read without a decimal parser.
fn plain_cents(b: &[u8]) -> Option<u64> {
    let (int, frac) = match b.iter().position(|&c| c == b'.') {
        Some(p) => (&b[..p], &b[p + 1..]),
        None => (b, &b[..0]),
    };
    if int.is_empty() || int.len() > 13 || frac.len() > 2 {
        // "40000.0" has one decimal; "40000.00" two; more: the general path.
        if frac.len() > 2
            && frac[2..].iter().all(|&c| c == b'0')
            && !int.is_empty()
            && int.len() <= 13
        {
            return plain_cents(&b[..b.len() - (frac.len() - 2)]);
        }
        return None;
    }
    let mut v: u64 = 0;
    for &c in int {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(c - b'0');
    }
    let mut f = 0u64;
    for i in 0..2 {
        let d = match frac.get(i) {
            Some(c) if c.is_ascii_digit() => u64::from(c - b'0'),
            Some(_) => return None,
            None => 0,
        };
        f = f * 10 + d;
    }
    Some(v * 100 + f)
}

fn day(d: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::Duration::days(i64::from(d)))
}

/// The columns of the consolidated file the crate reads (58 in all; the others are ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Col {
    Uid,
    Id,
    Nature,
    AcheteurId,
    AcheteurNom,
    TitulaireId,
    TitulaireType,
    TitulaireNom,
    Objet,
    Montant,
    CodeCpv,
    Procedure,
    Techniques,
    DureeMois,
    OffresRecues,
    DateNotification,
    DatePublication,
    FormePrix,
    TypesPrix,
    MarcheInnovant,
    Modalites,
    ConsSociales,
    ConsEnvironnementales,
    Ccag,
    IdAccordCadre,
    TitulaireDistance,
    TitulaireCategorie,
    ModificationId,
    DonneesActuelles,
}

/// Number of [`Col`]s.
pub(crate) const NCOL: usize = 29;

/// Every column with its name in the file, in the order of [`Col`].
pub(crate) const COLUMNS: [(Col, &str); NCOL] = [
    (Col::Uid, "uid"),
    (Col::Id, "id"),
    (Col::Nature, "nature"),
    (Col::AcheteurId, "acheteur_id"),
    (Col::AcheteurNom, "acheteur_nom"),
    (Col::TitulaireId, "titulaire_id"),
    (Col::TitulaireType, "titulaire_typeIdentifiant"),
    (Col::TitulaireNom, "titulaire_nom"),
    (Col::Objet, "objet"),
    (Col::Montant, "montant"),
    (Col::CodeCpv, "codeCPV"),
    (Col::Procedure, "procedure"),
    (Col::Techniques, "techniques"),
    (Col::DureeMois, "dureeMois"),
    (Col::OffresRecues, "offresRecues"),
    (Col::DateNotification, "dateNotification"),
    (Col::DatePublication, "datePublicationDonnees"),
    (Col::FormePrix, "formePrix"),
    (Col::TypesPrix, "typesPrix"),
    (Col::MarcheInnovant, "marcheInnovant"),
    (Col::Modalites, "modalitesExecution"),
    (Col::ConsSociales, "considerationsSociales"),
    (
        Col::ConsEnvironnementales,
        "considerationsEnvironnementales",
    ),
    (Col::Ccag, "ccag"),
    (Col::IdAccordCadre, "idAccordCadre"),
    (Col::TitulaireDistance, "titulaire_distance"),
    (Col::TitulaireCategorie, "titulaire_categorie"),
    (Col::ModificationId, "modification_id"),
    (Col::DonneesActuelles, "donneesActuelles"),
];

/// Columns without which the file is not a consolidated DECP.
pub(crate) const REQUIRED: [Col; 4] = [
    Col::Uid,
    Col::AcheteurId,
    Col::DateNotification,
    Col::Montant,
];

/// Which columns a read needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Needs {
    /// Every field of the model.
    pub full: bool,
    /// The fields of the strategy indicators (bids, holders' categories and distance,
    /// techniques, nature, duration).
    pub strategy: bool,
    /// Names of buyers and holders.
    pub names: bool,
    /// Buyer, id, CPV and procedure (breakdowns, filters, audit, quality, cross-file keys
    /// beyond the `uid`).
    pub details: bool,
}

impl Needs {
    /// Whether any column beyond the yearly shares' is read (then each contract keeps its
    /// [`Details`]).
    pub fn detailed(&self) -> bool {
        self.details || self.full || self.strategy || self.names
    }

    /// Whether a column is read.
    pub fn wants(&self, c: Col) -> bool {
        use Col::*;
        match c {
            Uid
            | Montant
            | DateNotification
            | MarcheInnovant
            | ConsSociales
            | ConsEnvironnementales
            | ModificationId
            | DonneesActuelles => true,
            AcheteurId | CodeCpv | Procedure | Id => {
                self.details || self.full || self.strategy || self.names
            }
            OffresRecues | Techniques | Nature | DureeMois | TitulaireId | TitulaireType
            | TitulaireCategorie | TitulaireDistance => self.full || self.strategy,
            AcheteurNom | TitulaireNom => self.full || self.names,
            Objet | DatePublication | FormePrix | TypesPrix | Modalites | Ccag | IdAccordCadre => {
                self.full
            }
        }
    }
}

/// One row: its cells by [`Col`] (`Null` for columns not read).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Row<'a> {
    pub cells: [Val<'a>; NCOL],
}

impl<'a> Row<'a> {
    fn get(&self, c: Col) -> Val<'a> {
        self.cells[c as usize]
    }
}

/// Repeated strings kept once, keyed by their bytes (UTF-8 is checked once per distinct
/// string); index 0 is "none".
#[derive(Debug, Default)]
struct Interner {
    /// The last strings looked up, by a small hash of their bytes: repeated values (a few
    /// distinct considerations, procedures, buyers) skip the map.
    recent: Vec<(u32, u32, u32)>,
    index: FastMap<Box<[u8]>, u32>,
    strings: Vec<Box<str>>,
    /// Strings whose bytes were not UTF-8 (replaced), to warn about.
    bad: Vec<u32>,
    /// While the caller keeps its bytes unchanged at their addresses (one decoded Parquet
    /// row group: a dictionary-encoded value is always the same bytes at the same address),
    /// the strings last looked up by address and length: (address, length, id); empty when
    /// off.
    by_address: Vec<(usize, usize, u32)>,
}

/// How many strings [`Interner::id_at`] remembers by address (a power of two).
const ADDRESS_SLOTS: usize = 64;

impl Interner {
    fn id(&mut self, s: Option<&[u8]>) -> u32 {
        const RECENT: usize = 256;
        let Some(s) = s else { return 0 };
        if self.strings.is_empty() {
            self.strings.push(Box::from(""));
            self.recent = vec![(0, 0, 0); RECENT];
        }
        // A cheap hash of the length and a few bytes picks a slot of the cache.
        let n = s.len();
        let quick = (n as u32).wrapping_mul(0x9E37_79B9)
            ^ u32::from(s[0])
            ^ (u32::from(s[n / 2]) << 8)
            ^ (u32::from(s[n - 1]) << 16)
            ^ (u32::from(s[n.saturating_sub(5)]) << 24);
        let slot = (quick.wrapping_mul(0x85EB_CA6B) >> 24) as usize % RECENT;
        let (q, i, _) = self.recent[slot];
        if q == quick
            && i != 0
            && self
                .strings
                .get(i as usize)
                .is_some_and(|t| t.as_bytes() == s)
        {
            return i;
        }
        if let Some(&i) = self.index.get(s) {
            self.recent[slot] = (quick, i, 0);
            return i;
        }
        let i = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        self.index.insert(Box::from(s), i);
        let text = utf8_lossy(s);
        if let Cow::Owned(_) = text {
            self.bad.push(i);
        }
        self.strings.push(Box::from(&*text));
        i
    }

    /// [`Interner::id`] of a string whose bytes stay where they are while
    /// [`Interner::stable_addresses`] is on (else [`Interner::id`] itself).
    fn id_at(&mut self, s: &[u8]) -> u32 {
        if self.by_address.is_empty() {
            return self.id(Some(s));
        }
        let at = s.as_ptr() as usize;
        // the top bits of a multiplicative hash of the address pick one of the slots
        let slot = ((at as u64).wrapping_mul(crate::util::hash::K1)
            >> (u64::BITS - ADDRESS_SLOTS.trailing_zeros())) as usize;
        let (a, n, i) = self.by_address[slot];
        if a == at && n == s.len() && i != 0 {
            return i;
        }
        let i = self.id(Some(s));
        self.by_address[slot] = (at, s.len(), i);
        i
    }

    /// Turns the lookup by address on (the caller will keep the bytes it hands over unchanged
    /// until it turns it off) or off; either way what was remembered by address is forgotten.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    fn stable_addresses(&mut self, on: bool) {
        self.by_address.clear();
        if on {
            self.by_address.resize(ADDRESS_SLOTS, (0, 0, 0));
        }
    }

    fn get(&self, i: u32) -> Option<&str> {
        if i == 0 {
            return None;
        }
        self.strings.get(i as usize).map(|s| &**s)
    }
}

/// A holder row of a version (interned strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct HolderRef {
    id: u32,
    kind: u32,
    name: u32,
    category: u32,
    distance: Option<u32>,
}

/// An amount cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Amt {
    Missing,
    /// Present but not an amount (the row that said so is warned about).
    Bad,
    /// Cents (at most the crate's bound of 10^16 cents).
    Ok(u64),
}

/// The crate's bound on amounts, in cents (one hundred trillion euros).
const MAX_CENTS: u64 = 10_000_000_000_000_000;

/// An [`Amt`] in 8 bytes: the cents, or a value above any amount: a missing one, or an
/// unusable one with the interned id of its text (`BAD_FROM` + the id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PackedAmt(u64);

impl PackedAmt {
    const MISSING: u64 = u64::MAX;
    /// Cents never come near (amounts are bounded by [`MAX_CENTS`], below 2^54).
    const BAD_FROM: u64 = 1 << 63;

    /// `a`, with `raw` the interned text of the cell when it is unusable.
    fn new(a: Amt, raw: u32) -> Self {
        PackedAmt(match a {
            Amt::Missing => Self::MISSING,
            Amt::Bad | Amt::Ok(Self::BAD_FROM..) => Self::BAD_FROM + u64::from(raw),
            Amt::Ok(c) => c,
        })
    }

    fn get(self) -> Amt {
        match self.0 {
            Self::MISSING => Amt::Missing,
            Self::BAD_FROM.. => Amt::Bad,
            c => Amt::Ok(c),
        }
    }

    /// The interned text of an unusable amount (0 otherwise).
    fn raw(self) -> u32 {
        match self.0 {
            Self::MISSING => 0,
            // (the id fits: it was a u32)
            c @ Self::BAD_FROM.. => u32::try_from(c - Self::BAD_FROM).unwrap_or(0),
            _ => 0,
        }
    }
}

/// The version of a contract kept so far: the values every read uses (the yearly shares).
/// (Packed: one is kept per contract, 32 bytes.)
#[derive(Debug, Clone)]
struct Version {
    current: bool,
    innovative: Option<bool>,
    date: Option<NaiveDate>,
    /// `modification_id`, when `has_mod_id`.
    mod_id: i64,
    has_mod_id: bool,
    /// The amount, and the text of an unusable one.
    amount: PackedAmt,
    social: u32,
    environmental: u32,
}

impl Version {
    fn mod_id(&self) -> Option<i64> {
        self.has_mod_id.then_some(self.mod_id)
    }

    fn amount(&self) -> Amt {
        self.amount.get()
    }
}

/// The other values of the kept version, read only for breakdowns, filters, strategy
/// indicators, names or a full read (kept apart: a totals-only read of the national file
/// then holds about half the memory per contract).
#[derive(Debug, Clone)]
struct Details {
    buyer: u32,
    buyer_name: u32,
    nature: u32,
    object: u32,
    cpv: u32,
    procedure: u32,
    techniques: u32,
    modes: u32,
    framework: u32,
    ccag: u32,
    price_form: u32,
    price_types: u32,
    publication: Option<NaiveDate>,
    offers: Option<u32>,
    duration: Option<u32>,
    holders: Vec<HolderRef>,
}

/// The details of a contract whose read keeps none.
static NO_DETAILS: Details = Details {
    buyer: 0,
    buyer_name: 0,
    nature: 0,
    object: 0,
    cpv: 0,
    procedure: 0,
    techniques: 0,
    modes: 0,
    framework: 0,
    ccag: 0,
    price_form: 0,
    price_types: 0,
    publication: None,
    offers: None,
    duration: None,
    holders: Vec::new(),
};

/// The rows of one `uid` read so far. One cache line (64 bytes): the table of a national file
/// holds millions, reached in the order of the rows' uids, i.e. at random. Its [`Details`],
/// when the read keeps them, are those of the same index.
#[derive(Debug, Clone)]
struct Pending {
    /// Row index of its first row (names the contract in warnings).
    first_row: u64,
    /// Offset in the arena of its uid (`uid_len` bytes) followed by its id (`id_len`).
    at: u32,
    uid_len: u16,
    id_len: u16,
    rows: u32,
    /// Rows of the kept version.
    version_rows: u32,
    min_date: Option<NaiveDate>,
    /// A row of the uid had a date outside 1990-2100 or unreadable.
    bad_date: bool,
    version: Version,
}

const _: () = assert!(std::mem::size_of::<Pending>() == 64);

/// The longest uid or id a row may have (a longer one is rejected with the row).
const MAX_KEY: usize = u16::MAX as usize;

impl Pending {
    /// Its uid's bytes in `arena`.
    fn uid<'a>(&self, arena: &'a [u8]) -> &'a [u8] {
        let at = self.at as usize;
        &arena[at..at + usize::from(self.uid_len)]
    }

    /// Its notification date (the earliest of its rows'), or its rejection (`uid`: its uid as
    /// text).
    fn notified(&self, uid: &str) -> Result<NaiveDate, Rejection> {
        self.min_date.ok_or_else(|| {
            let why = if self.bad_date {
                "no usable dateNotification (every date of the contract's rows is unreadable or out of range)"
            } else {
                "no usable dateNotification (null on every row of the contract)"
            };
            Rejection {
                record: self.first_row,
                id: Some(uid.to_string()),
                reason: why.to_string(),
            }
        })
    }

    /// Its id's bytes in `arena`.
    #[cfg(test)]
    fn id<'a>(&self, arena: &'a [u8]) -> &'a [u8] {
        let at = self.at as usize + usize::from(self.uid_len);
        &arena[at..at + usize::from(self.id_len)]
    }
}

/// What the reduction of the rows gives, contract by contract.
pub(crate) struct Reduced<'c> {
    pub record: u64,
    /// `Ok` with the contract, or the rejection.
    pub outcome: Result<&'c AwardedContract, Rejection>,
    pub warnings: Vec<Warning>,
}

/// What the reduction of the rows gives, contract by contract, to a read that counts the
/// contracts in the yearly indicators and keeps nothing else of them
/// ([`Consolidator::finish_totals`]).
pub(crate) struct Totalled<'c> {
    /// The contract's id (its uid when it has none): what the cross-file key is made of.
    pub id: &'c str,
    /// `Ok` with the purchase the indicators count, or the rejection.
    pub outcome: Result<Purchase<'c>, Rejection>,
    pub warnings: Vec<Warning>,
}

/// The considerations of the cells met so far (by their interned text), with the warnings
/// their reading gives, as the social list (`[0]`) and as the environmental one (`[1]`): a
/// cell reads differently in each (a consideration of the other dimension is warned about).
type Parsed = [FastMap<u32, (Considerations, Vec<String>)>; 2];

/// Below this many contracts one thread reduces them all ([`Consolidator::finish_all`],
/// [`Consolidator::finish_totals`]).
const SPLIT_FROM: usize = 16_384;

/// Parts of the pending contracts of several shards: (shard, range of its contracts).
type Parts = Vec<(usize, std::ops::Range<usize>)>;

/// The parts of the shards whose pending contracts have these lengths that two threads take:
/// (shard, range of its contracts), about half of the contracts each.
fn halves(lens: &[usize]) -> (Parts, Parts) {
    let mut left = lens.iter().sum::<usize>() / 2;
    let (mut head, mut tail) = (Vec::new(), Vec::new());
    for (s, &l) in lens.iter().enumerate() {
        let k = left.min(l);
        left -= k;
        if k > 0 {
            head.push((s, 0..k));
        }
        if k < l {
            tail.push((s, k..l));
        }
    }
    (head, tail)
}

/// Runs `head` on this thread and `tail` on another at the same time, `tail` counting in an
/// accounting of its own, which is returned (a panic of `tail` goes on here).
fn beside(head: impl FnOnce(), tail: impl FnOnce(&mut Accounting) + Send) -> Accounting {
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            let mut acc = Accounting::default();
            tail(&mut acc);
            acc
        });
        head();
        worker
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    })
}

/// The accounting of the shards' rows so far (the rows read, filtered and rejected alone, and
/// their warnings), before their contracts are counted.
fn rows_accounting(shards: &[Consolidator]) -> Accounting {
    let mut acc = Accounting::default();
    for c in shards {
        acc.add(&c.acc);
        acc.warnings += c.row_warnings.len() as u64;
    }
    acc
}

/// Each shard's arena (its uids and ids) as text, when it is UTF-8: checked once here rather
/// than uid by uid.
fn arena_texts(shards: &[Consolidator]) -> Vec<Option<&str>> {
    shards
        .iter()
        .map(|c| std::str::from_utf8(&c.arena).ok())
        .collect()
}

/// Counts the rows of pending `p` in `acc` (one record; its superseded and holders' rows).
fn count_rows(p: &Pending, acc: &mut Accounting) {
    acc.read += 1;
    acc.rows_records += 1;
    acc.rows_superseded += u64::from(p.rows - p.version_rows);
    acc.rows_holders += u64::from(p.version_rows.saturating_sub(1));
}

/// Counts a contract's outcome and warnings in `acc`.
fn count_outcome<T>(outcome: &Result<T, Rejection>, warnings: &[Warning], acc: &mut Accounting) {
    acc.warnings += warnings.len() as u64;
    match outcome {
        Ok(_) => acc.accepted += 1,
        Err(_) => acc.rejected += 1,
    }
}

/// Pushes a warning about the contract of `uid` first seen at `record` to `warnings`.
fn warner<'w>(
    record: u64,
    uid: &'w str,
    warnings: &'w mut Vec<Warning>,
) -> impl FnMut(&str, &str, String) + 'w {
    move |field: &str, value: &str, message: String| {
        warnings.push(Warning {
            record,
            id: Some(uid.to_string()),
            field: field.to_string(),
            value: excerpt(value).into_owned(),
            message,
        })
    }
}

/// One contract built by [`Consolidator::finish_all`], its buffers reused from one to the next.
#[derive(Debug)]
struct Built {
    record: u64,
    contract: AwardedContract,
    outcome: Result<(), Rejection>,
    warnings: Vec<Warning>,
}

impl Default for Built {
    fn default() -> Self {
        Built {
            record: 0,
            contract: AwardedContract::default(),
            outcome: Ok(()),
            warnings: Vec::new(),
        }
    }
}

impl Built {
    /// Hands the contract (or its rejection) and its warnings (moved out) to `each`.
    fn hand_to(&mut self, each: &mut dyn FnMut(Reduced<'_>)) {
        let outcome = std::mem::replace(&mut self.outcome, Ok(()));
        each(Reduced {
            record: self.record,
            outcome: outcome.map(|()| &self.contract),
            warnings: std::mem::take(&mut self.warnings),
        });
    }
}

/// Groups rows by `uid` and reduces them to contracts (see the module documentation).
#[derive(Debug)]
pub(crate) struct Consolidator {
    needs: Needs,
    /// Buyers kept (row-level filter: rows of other buyers are counted, not grouped).
    buyers: Option<Filter>,
    /// The uids and ids, as published (bytes).
    arena: Vec<u8>,
    /// The pending contracts (their number, and the low half of their uid's [`uid_hash`], by
    /// which the table places them: growing it reads no contract) by uid, compared byte for
    /// byte (uids whose hashes collide stay apart).
    index: hashbrown::HashTable<(u32, u32)>,
    /// The hash and index of the last row's contract.
    last: Option<(u64, usize)>,
    pending: Vec<Pending>,
    /// The [`Details`] of the pending contracts (when the read keeps them).
    details: Vec<Details>,
    strings: Interner,
    acc: Accounting,
    rows_alone: Vec<Rejection>,
    row_warnings: Vec<Warning>,
    votes: ConventionVotes,
    declared: Option<NumberConvention>,
}

/// Adds a pending contract (its uid and id to the arena); returns its index. (The caller
/// checked that both fit: at most [`MAX_KEY`] bytes each, the arena within 4 GiB.)
fn push_pending(
    arena: &mut Vec<u8>,
    pending: &mut Vec<Pending>,
    uid: &[u8],
    id: Option<&[u8]>,
    row: u64,
) -> usize {
    let id = id.unwrap_or(b"");
    let at = u32::try_from(arena.len()).unwrap_or(u32::MAX);
    arena.extend_from_slice(uid);
    arena.extend_from_slice(id);
    pending.push(Pending {
        first_row: row,
        at,
        uid_len: u16::try_from(uid.len()).unwrap_or(u16::MAX),
        id_len: u16::try_from(id.len()).unwrap_or(u16::MAX),
        rows: 0,
        version_rows: 0,
        min_date: None,
        bad_date: false,
        version: Version {
            current: false,
            innovative: None,
            date: None,
            mod_id: 0,
            has_mod_id: false,
            amount: PackedAmt(PackedAmt::MISSING),
            social: 0,
            environmental: 0,
        },
    });
    pending.len() - 1
}

/// The hash by which rows are grouped: of the trimmed `uid` ([`Val`]'s text).
pub(crate) fn uid_hash(uid: &[u8]) -> u64 {
    hash_bytes(uid, 0x7569)
}

/// Where [`Consolidator`]'s index places a uid of [`uid_hash`] `h` (low half `h32`): its
/// buckets from the low bits, its 7-bit tag (the top bits) from bits 25 to 31 (independent of
/// the buckets below 2^25 of them; beyond, tags repeat more often, which costs comparisons,
/// never a wrong match).
fn table_hash(h32: u32) -> u64 {
    u64::from(h32) | (u64::from(h32) << 32)
}

/// The shard (0 or 1) of a row's uid, from [`uid_hash`]; a row without uid goes to shard 0.
/// (Bit 40: neither among the low bits that place a key in a table nor the top ones.)
#[cfg_attr(not(feature = "parquet"), allow(dead_code))]
pub(crate) fn shard_of(hash: Option<u64>) -> usize {
    hash.map_or(0, |h| ((h >> 40) & 1) as usize)
}

/// Why a row cannot be grouped.
fn row_rejection(row: u64, reason: String) -> Rejection {
    Rejection {
        record: row,
        id: None,
        reason,
    }
}

impl Consolidator {
    pub fn new(needs: Needs, buyers: Option<Filter>, declared: Option<NumberConvention>) -> Self {
        Consolidator {
            needs,
            buyers,
            arena: Vec::new(),
            index: hashbrown::HashTable::new(),
            last: None,
            pending: Vec::new(),
            details: Vec::new(),
            strings: Interner::default(),
            acc: Accounting::default(),
            rows_alone: Vec::new(),
            row_warnings: Vec::new(),
            votes: ConventionVotes::default(),
            declared,
        }
    }

    /// An empty consolidator with the same needs, buyer filter and number convention (a
    /// shard of a read on two threads).
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    pub fn new_like(&self) -> Self {
        Consolidator::new(self.needs, self.buyers.clone(), self.declared)
    }

    fn warn(&mut self, row: u64, field: &str, v: Val<'_>, message: impl Into<String>) {
        self.row_warnings.push(Warning {
            record: row,
            id: None,
            field: field.to_string(),
            value: v.show().into_owned(),
            message: message.into(),
        });
    }

    /// The interned id of a cell (0 for none). The common cases (a column not read, a value
    /// just seen) stay inline; the rest goes to [`Consolidator::intern_cell`].
    #[inline(always)]
    fn intern(&mut self, row: u64, field: &str, v: Val<'_>) -> u32 {
        match v {
            Val::Null => 0,
            v => self.intern_cell(row, field, v),
        }
    }

    fn intern_cell(&mut self, row: u64, field: &str, v: Val<'_>) -> u32 {
        match v {
            Val::Text(t) => {
                let t = trim(t);
                if t.is_empty() {
                    return 0;
                }
                let before = self.strings.bad.len();
                let i = self.strings.id_at(t);
                if self.strings.bad.len() > before {
                    self.warn(
                        row,
                        field,
                        v,
                        "bytes that are not UTF-8 (e.g. a Windows-1252 character) replaced by U+FFFD",
                    );
                }
                i
            }
            Val::Null => 0,
            Val::Num(n) => self.strings.id(Some(n.to_string().as_bytes())),
            Val::Int(i) => self.strings.id(Some(i.to_string().as_bytes())),
            Val::Bool(b) => self.strings.id(Some(b.to_string().as_bytes())),
            Val::Cents(_) => self.strings.id(Some(v.show().as_bytes())),
            Val::Day(_) | Val::Date(_) => {
                self.warn(row, field, v, "a date where text is expected; ignored");
                0
            }
        }
    }

    fn date(&mut self, row: u64, field: &str, v: Val<'_>) -> (Option<NaiveDate>, bool) {
        let d = match v {
            Val::Null => return (None, false),
            Val::Day(d) => day(d),
            Val::Date(d) => Some(d),
            Val::Text(t) => {
                let t = trim(t);
                if t.is_empty() {
                    return (None, false);
                }
                iso_day(t.get(..10).unwrap_or(t))
            }
            _ => None,
        };
        match d {
            Some(d) if plausible_date(d) => (Some(d), false),
            Some(d) => {
                self.warn(
                    row,
                    field,
                    v,
                    format!(
                        "date outside {EARLIEST_YEAR}-{LATEST_YEAR} (year {}); unusable",
                        chrono::Datelike::year(&d)
                    ),
                );
                (None, true)
            }
            None => {
                self.warn(row, field, v, "not a date (YYYY-MM-DD); left empty");
                (None, true)
            }
        }
    }

    fn boolean(&mut self, row: u64, field: &str, v: Val<'_>) -> Option<bool> {
        match v {
            Val::Null => None,
            Val::Bool(b) => Some(b),
            Val::Text(t) => match trim(t) {
                b"" => None,
                b"true" | b"True" | b"TRUE" => Some(true),
                b"false" | b"False" | b"FALSE" => Some(false),
                other => match crate::util::text::fold(&String::from_utf8_lossy(other)).as_str() {
                    "1" | "oui" | "vrai" | "yes" => Some(true),
                    "0" | "non" | "faux" | "no" => Some(false),
                    _ => {
                        self.warn(row, field, v, "not a boolean; left empty");
                        None
                    }
                },
            },
            Val::Int(i) => Some(i != 0),
            _ => {
                self.warn(row, field, v, "not a boolean; left empty");
                None
            }
        }
    }

    fn integer(&mut self, row: u64, field: &str, v: Val<'_>) -> Option<i64> {
        match v {
            Val::Null => None,
            Val::Int(i) => Some(i),
            Val::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(n as i64),
            Val::Text(t) => {
                let t = trim(t);
                if t.is_empty() {
                    return None;
                }
                let s = std::str::from_utf8(t).unwrap_or("");
                if let Ok(i) = s.parse::<i64>() {
                    return Some(i);
                }
                match s.parse::<f64>() {
                    Ok(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(n as i64),
                    _ => {
                        self.warn(row, field, v, "not an integer; left empty");
                        None
                    }
                }
            }
            _ => {
                self.warn(row, field, v, "not an integer; left empty");
                None
            }
        }
    }

    fn count(&mut self, row: u64, field: &str, v: Val<'_>) -> Option<u32> {
        let i = self.integer(row, field, v)?;
        match u32::try_from(i) {
            Ok(n) => Some(n),
            Err(_) => {
                self.warn(row, field, v, "not a non-negative integer; left empty");
                None
            }
        }
    }

    fn amount(&mut self, row: u64, v: Val<'_>) -> Amt {
        const FIELD: &str = "montant";
        let d = match v {
            Val::Null => return Amt::Missing,
            Val::Cents(c) => return Amt::Ok(c),
            Val::Num(n) if n.is_finite() => {
                // Most amounts have at most two decimals: their cents are exact in a double.
                // (`x + 0.5` truncated rounds a non-negative `x` below 2^52 as `round` does,
                // inline; where the addition itself rounds, the check below fails and the
                // exact path decides.)
                let x = n * 100.0;
                if n >= 0.0 && x < 9e15 {
                    let c = (x + 0.5) as u64;
                    if (x - c as f64).abs() < 1e-6 {
                        return Amt::Ok(c);
                    }
                }
                // The shortest text that reads back as the same double: the decimal the
                // producer wrote (Parquet stores the pipeline's Float64).
                match Decimal::from_str_exact(&n.to_string())
                    .or_else(|_| Decimal::from_scientific(&format!("{n:e}")))
                {
                    Ok(d) => d,
                    Err(_) => {
                        self.warn(
                            row,
                            FIELD,
                            v,
                            "amount beyond the representable range; unusable",
                        );
                        return Amt::Bad;
                    }
                }
            }
            Val::Int(i) => Decimal::from(i),
            Val::Text(t) => {
                let t = trim(t);
                if t.is_empty() {
                    return Amt::Missing;
                }
                if let Some(cents) = plain_cents(t).filter(|&c| c <= MAX_CENTS) {
                    return Amt::Ok(cents);
                }
                let t = String::from_utf8_lossy(t);
                match Decimal::from_str_exact(&t) {
                    Ok(d) => d,
                    Err(_) => {
                        if let Ok(d) = Decimal::from_scientific(&t) {
                            d
                        } else {
                            self.votes.add(&t);
                            match parse_decimal_with(&t, self.votes.decide(self.declared)) {
                                Ok(d) => d,
                                Err(e) => {
                                    self.warn(row, FIELD, v, format!("{e}; unusable"));
                                    return Amt::Bad;
                                }
                            }
                        }
                    }
                }
            }
            _ => {
                self.warn(row, FIELD, v, "not an amount; unusable");
                return Amt::Bad;
            }
        };
        if d.is_sign_negative() && !d.is_zero() {
            self.warn(row, FIELD, v, "negative amount; unusable");
            return Amt::Bad;
        }
        // Cents rounded half away from zero, as the national file's analysts sum them.
        match Amount::rounded(d, RoundingStrategy::MidpointAwayFromZero) {
            Ok(a) => {
                if d.normalize().scale() > 2 {
                    self.warn(
                        row,
                        FIELD,
                        v,
                        format!("more than 2 decimal places; rounded half away from zero to {a}"),
                    );
                }
                match u64::try_from(a.as_decimal().mantissa()) {
                    Ok(c) if c <= MAX_CENTS => Amt::Ok(c),
                    _ => Amt::Bad,
                }
            }
            Err(_) => {
                self.warn(
                    row,
                    FIELD,
                    v,
                    "amount beyond the representable range (100000000000000 euros); unusable",
                );
                Amt::Bad
            }
        }
    }

    /// The index of the pending contract of `uid`, added when new; `Err` with the reason when
    /// a new contract's uid or id cannot be kept (longer than [`MAX_KEY`] bytes, or the
    /// arena's 4 GiB full).
    fn slot(&mut self, h: u64, uid: &[u8], id: Option<&[u8]>, row: u64) -> Result<usize, String> {
        // The rows of a contract often follow one another.
        if let Some((lh, li)) = self.last {
            if lh == h && self.uid_is(li, uid) {
                return Ok(li);
            }
        }
        let (arena, pending) = (&self.arena, &self.pending);
        let h32 = h as u32;
        let entry = self.index.entry(
            table_hash(h32),
            |&(k, kh)| kh == h32 && pending[k as usize].uid(arena) == uid,
            |&(_, kh)| table_hash(kh),
        );
        let i = match entry {
            hashbrown::hash_table::Entry::Occupied(e) => e.get().0 as usize,
            hashbrown::hash_table::Entry::Vacant(v) => {
                if uid.len() > MAX_KEY || id.is_some_and(|id| id.len() > MAX_KEY) {
                    return Err(format!(
                        "uid or id longer than {MAX_KEY} bytes: cannot be grouped"
                    ));
                }
                if self.arena.len() + 2 * MAX_KEY > u32::MAX as usize {
                    return Err("more than 4 GiB of distinct uids and ids in one file: the row cannot be grouped (split the file)".to_string());
                }
                let i = push_pending(&mut self.arena, &mut self.pending, uid, id, row);
                v.insert((i as u32, h32));
                i
            }
        };
        self.last = Some((h, i));
        Ok(i)
    }

    /// Whether pending contract `i` has this uid.
    fn uid_is(&self, i: usize, uid: &[u8]) -> bool {
        self.pending
            .get(i)
            .is_some_and(|p| p.uid(&self.arena) == uid)
    }

    /// Promises (`true`) that the text handed over by the next rows stays unchanged at its
    /// address until the promise is withdrawn (`false`), so that repeated values are
    /// recognised by their address; a row group's decoded buffers keep it.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    pub fn stable_text(&mut self, on: bool) {
        self.strings.stable_addresses(on);
    }

    /// The buyer filter applied to rows, if any.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    pub fn buyer_filter(&self) -> Option<&Filter> {
        self.buyers.as_ref()
    }

    /// Makes room for about `rows` rows to come (a reader that knows the file's row count says
    /// so: the tables then grow once instead of doubling as they fill). At most 2^24 rows are
    /// reserved ahead; beyond, the tables grow as rows come.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    pub fn expect_rows(&mut self, rows: usize) {
        // About 1.45 rows per contract in the published file; a uid of 40 bytes or so.
        let rows = rows.min(1 << 24);
        let contracts = rows - rows / 4;
        self.pending.reserve(contracts);
        if self.needs.detailed() {
            self.details.reserve(contracts);
        }
        self.index.reserve(contracts, |&(_, kh)| table_hash(kh));
        self.arena.reserve(contracts.saturating_mul(48));
    }

    /// Counts rows of other buyers that a reader skipped without handing them over.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    pub fn skip_filtered_rows(&mut self, n: u64) {
        self.acc.rows += n;
        self.acc.rows_filtered += n;
    }

    /// Rejects a row that cannot be read at all (counted as read and rejected alone).
    pub fn reject_row(&mut self, row: u64, reason: String) {
        self.acc.rows += 1;
        self.reject_counted_row(row, reason);
    }

    /// Rejects alone a row already counted among the rows.
    fn reject_counted_row(&mut self, row: u64, reason: String) {
        self.acc.read += 1;
        self.acc.rows_records += 1;
        self.acc.rejected += 1;
        self.rows_alone.push(row_rejection(row, reason));
    }

    /// Rejects `n` rows from `row` on that cannot be read at all (a row group that cannot be
    /// decoded): each counted as read and rejected, one rejection giving the reason.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    pub fn reject_rows(&mut self, row: u64, n: u64, reason: String) {
        self.acc.rows += n;
        self.acc.read += n;
        self.acc.rows_records += n;
        self.acc.rejected += n;
        self.rows_alone.push(row_rejection(row, reason));
    }

    /// Adds one row (`row`: its index in the file, header excluded) with its uid's
    /// [`uid_hash`] when the reader computed it (else computed here).
    pub fn add_hashed(&mut self, row: u64, r: &Row<'_>, hash: Option<u64>) {
        self.acc.rows += 1;
        let buyer_cell = r.get(Col::AcheteurId);
        if let Some(f) = &self.buyers {
            if !f.buyer_matches_bytes(buyer_cell.bytes().unwrap_or(b"")) {
                self.acc.rows_filtered += 1;
                return;
            }
        }
        let Some(uid) = r.get(Col::Uid).bytes() else {
            self.reject_counted_row(row, "row without uid: cannot be grouped".to_string());
            return;
        };
        let h = hash.unwrap_or_else(|| uid_hash(uid));
        let i = match self.slot(h, uid, r.get(Col::Id).bytes(), row) {
            Ok(i) => i,
            Err(why) => {
                self.reject_counted_row(row, why);
                return;
            }
        };
        let (date, bad_date) = self.date(row, "dateNotification", r.get(Col::DateNotification));
        let current = self.boolean(row, "donneesActuelles", r.get(Col::DonneesActuelles));
        let mod_id = self.integer(row, "modification_id", r.get(Col::ModificationId));
        {
            let p = &mut self.pending[i];
            p.rows += 1;
            p.bad_date |= bad_date;
            if let Some(d) = date {
                p.min_date = Some(p.min_date.map_or(d, |m| m.min(d)));
            }
        }
        // Which version the row belongs to, relative to the kept one.
        let first = self.pending[i].rows == 1;
        let cur = current == Some(true);
        let (replace, same) = {
            let v = &self.pending[i].version;
            if first {
                (true, false)
            } else if cur != v.current {
                (cur, false)
            } else if cur {
                // Two rows of the current version: holders of one version (or two sources).
                (false, true)
            } else {
                match (mod_id, v.mod_id()) {
                    (Some(a), Some(b)) if a > b => (true, false),
                    (Some(a), Some(b)) if a == b => (false, true),
                    (Some(_), None) => (true, false),
                    (None, None) => (false, true),
                    _ => (false, false),
                }
            }
        };
        if !replace && !same {
            return;
        }
        let holder = self.holder(row, r);
        let amount = self.amount(row, r.get(Col::Montant));
        let amount_raw = match (amount, r.get(Col::Montant)) {
            (Amt::Ok(_), _) | (_, Val::Null) => 0,
            (_, v) => {
                let t = v.show().into_owned();
                self.strings.id(Some(t.as_bytes()))
            }
        };
        if same {
            let (has_social, has_env, innovative_known) = {
                let v = &self.pending[i].version;
                (
                    v.social != 0,
                    v.environmental != 0,
                    v.innovative == Some(true),
                )
            };
            let innovative = if innovative_known {
                None
            } else {
                self.boolean(row, "marcheInnovant", r.get(Col::MarcheInnovant))
            };
            let social = if has_social {
                0
            } else {
                self.intern(row, "considerationsSociales", r.get(Col::ConsSociales))
            };
            let env = if has_env {
                0
            } else {
                self.intern(
                    row,
                    "considerationsEnvironnementales",
                    r.get(Col::ConsEnvironnementales),
                )
            };
            let p = &mut self.pending[i];
            p.version_rows += 1;
            if let (Some(h), Some(d)) = (holder, self.details.get_mut(i)) {
                if !d.holders.contains(&h) {
                    d.holders.push(h);
                }
            }
            let v = &mut p.version;
            // Rows of one version that disagree (two sources): the largest amount and any
            // true flag win; the first known considerations are kept.
            match (v.amount(), amount) {
                (Amt::Ok(a), Amt::Ok(b)) if b > a => v.amount = PackedAmt::new(amount, 0),
                (Amt::Missing | Amt::Bad, Amt::Ok(_)) => v.amount = PackedAmt::new(amount, 0),
                _ => {}
            }
            if innovative == Some(true) {
                v.innovative = Some(true);
            }
            if v.social == 0 {
                v.social = social;
            }
            if v.environmental == 0 {
                v.environmental = env;
            }
            return;
        }
        let needs = self.needs;
        let g = |c: Col| if needs.wants(c) { r.get(c) } else { Val::Null };
        // In the order of the columns, as the warnings of the row come.
        let buyer = self.intern(row, "acheteur_id", buyer_cell);
        let buyer_name = self.intern(row, "acheteur_nom", g(Col::AcheteurNom));
        let nature = self.intern(row, "nature", g(Col::Nature));
        let object = self.intern(row, "objet", g(Col::Objet));
        let cpv = self.intern(row, "codeCPV", g(Col::CodeCpv));
        let procedure = self.intern(row, "procedure", g(Col::Procedure));
        let techniques = self.intern(row, "techniques", g(Col::Techniques));
        let modes = self.intern(row, "modalitesExecution", g(Col::Modalites));
        let framework = self.intern(row, "idAccordCadre", g(Col::IdAccordCadre));
        let ccag = self.intern(row, "ccag", g(Col::Ccag));
        let price_form = self.intern(row, "formePrix", g(Col::FormePrix));
        let price_types = self.intern(row, "typesPrix", g(Col::TypesPrix));
        let publication = if needs.full {
            self.date(row, "datePublicationDonnees", g(Col::DatePublication))
                .0
        } else {
            None
        };
        let innovative = self.boolean(row, "marcheInnovant", r.get(Col::MarcheInnovant));
        let offers = self.count(row, "offresRecues", g(Col::OffresRecues));
        let duration = self.count(row, "dureeMois", g(Col::DureeMois));
        let social = self.intern(row, "considerationsSociales", r.get(Col::ConsSociales));
        let environmental = self.intern(
            row,
            "considerationsEnvironnementales",
            r.get(Col::ConsEnvironnementales),
        );
        let p = &mut self.pending[i];
        p.version = Version {
            current: cur,
            innovative,
            date,
            mod_id: mod_id.unwrap_or(0),
            has_mod_id: mod_id.is_some(),
            amount: PackedAmt::new(amount, amount_raw),
            social,
            environmental,
        };
        p.version_rows = 1;
        if self.needs.detailed() {
            let d = Details {
                buyer,
                buyer_name,
                nature,
                object,
                cpv,
                procedure,
                techniques,
                modes,
                framework,
                ccag,
                price_form,
                price_types,
                publication,
                offers,
                duration,
                holders: holder.into_iter().collect(),
            };
            // (the first row of each contract comes here: its details are pushed at its index)
            match self.details.get_mut(i) {
                Some(slot) => *slot = d,
                None => {
                    debug_assert_eq!(self.details.len(), i);
                    self.details.push(d);
                }
            }
        }
    }

    fn holder(&mut self, row: u64, r: &Row<'_>) -> Option<HolderRef> {
        if !(self.needs.full || self.needs.strategy || self.needs.names) {
            return None;
        }
        let id = self.intern(row, "titulaire_id", r.get(Col::TitulaireId));
        if id == 0 {
            return None;
        }
        let distance = self
            .integer(row, "titulaire_distance", r.get(Col::TitulaireDistance))
            .and_then(|d| u32::try_from(d).ok());
        Some(HolderRef {
            id,
            kind: self.intern(row, "titulaire_typeIdentifiant", r.get(Col::TitulaireType)),
            name: self.intern(row, "titulaire_nom", r.get(Col::TitulaireNom)),
            category: self.intern(row, "titulaire_categorie", r.get(Col::TitulaireCategorie)),
            distance,
        })
    }

    /// The rows rejected alone and the row-level warnings so far (moved out).
    pub fn take_row_diagnostics(&mut self) -> (Vec<Rejection>, Vec<Warning>) {
        self.acc.warnings += self.row_warnings.len() as u64;
        (
            std::mem::take(&mut self.rows_alone),
            std::mem::take(&mut self.row_warnings),
        )
    }

    /// Reduces every `uid` of the shards of one read (rows split by [`shard_of`], or one
    /// consolidator alone) to its contract, in order of first appearance in the file, calling
    /// `first` with each contract (or its rejection) and its warnings; returns the accounting.
    ///
    /// When `second` is given and there are enough contracts, those first seen in the first
    /// half of the rows go (in order) to `first` on this thread, the others (in order) to
    /// `second` on another thread, at the same time: a caller that appends what `second`
    /// received after what `first` received sees the order of one thread.
    ///
    /// Each thread builds and hands over its own contracts: moving built contracts from one
    /// core to the other (one thread building, the other consuming) was tried and cost more
    /// than it saved.
    pub fn finish_all<S>(
        shards: Vec<Consolidator>,
        mut first: impl FnMut(Reduced<'_>),
        second: Option<S>,
    ) -> Accounting
    where
        S: FnMut(Reduced<'_>) + Send,
    {
        let mut acc = rows_accounting(&shards);
        let texts = arena_texts(&shards);
        let (shards, texts) = (&shards, &texts);
        // Each run goes through the contracts of `from..to` (per shard) in order of first
        // appearance across shards (each shard's contracts are in that order already).
        let run = |from: Vec<usize>,
                   to: Vec<usize>,
                   each: &mut dyn FnMut(Reduced<'_>),
                   acc: &mut Accounting| {
            let mut parsed: Vec<Parsed> = shards.iter().map(|_| Parsed::default()).collect();
            let mut b = Built::default();
            let mut heads = from;
            while let Some(s) = (0..shards.len())
                .filter(|&s| heads[s] < to[s])
                .min_by_key(|&s| shards[s].pending[heads[s]].first_row)
            {
                let c = &shards[s];
                c.build_one(heads[s], texts[s], &mut b, &mut parsed[s], acc);
                b.hand_to(each);
                heads[s] += 1;
            }
        };
        let n: usize = shards.iter().map(|c| c.pending.len()).sum();
        let starts = vec![0; shards.len()];
        let ends: Vec<usize> = shards.iter().map(|c| c.pending.len()).collect();
        match second {
            Some(mut second) if n >= SPLIT_FROM => {
                // The halves split at a row: the contracts first seen before it, and the others.
                let last = shards
                    .iter()
                    .filter_map(|c| c.pending.last())
                    .map(|p| p.first_row)
                    .max()
                    .unwrap_or(0);
                let mid: Vec<usize> = shards
                    .iter()
                    .map(|c| c.pending.partition_point(|p| p.first_row < last / 2))
                    .collect();
                let tail_from = mid.clone();
                let tail_acc = beside(
                    || run(starts, mid, &mut first, &mut acc),
                    |tail| run(tail_from, ends, &mut second, tail),
                );
                acc.add(&tail_acc);
            }
            _ => run(starts, ends, &mut first, &mut acc),
        }
        acc
    }

    /// Builds the contract of pending `index` into `b`, counting it in `acc`.
    fn build_one(
        &self,
        index: usize,
        text: Option<&str>,
        b: &mut Built,
        parsed: &mut Parsed,
        acc: &mut Accounting,
    ) {
        let p = &self.pending[index];
        count_rows(p, acc);
        b.warnings.clear();
        b.record = p.first_row;
        b.outcome = self.build(index, text, &mut b.contract, parsed, &mut b.warnings);
        count_outcome(&b.outcome, &b.warnings, acc);
    }

    /// Reduces every `uid` of the shards of one read, as [`Consolidator::finish_all`] does,
    /// but hands each contract as the purchase the yearly indicators count — its date,
    /// amount, considerations and innovative flag — instead of building it: for a read that
    /// keeps nothing else of a contract (no details read, no contract kept, diagnostics only
    /// counted). The contracts come in no particular order: what is done with them must not
    /// depend on it. When `second` is given and there are enough contracts, about half of
    /// them go to `second` on another thread. Returns the accounting, the same as
    /// [`Consolidator::finish_all`]'s.
    pub fn finish_totals<S>(
        shards: Vec<Consolidator>,
        mut first: impl FnMut(Totalled<'_>),
        second: Option<S>,
    ) -> Accounting
    where
        S: FnMut(Totalled<'_>) + Send,
    {
        let mut acc = rows_accounting(&shards);
        let texts = arena_texts(&shards);
        let (shards, texts) = (&shards, &texts);
        let run = |parts: Parts, each: &mut dyn FnMut(Totalled<'_>), acc: &mut Accounting| {
            let mut parsed: Vec<Parsed> = shards.iter().map(|_| Parsed::default()).collect();
            let mut buf = Vec::new();
            for (s, range) in parts {
                let c = &shards[s];
                for index in range {
                    let p = &c.pending[index];
                    count_rows(p, acc);
                    let (uid, id) = c.texts(p, texts[s]);
                    let mut warnings = Vec::new();
                    let outcome = c.totalled(index, &uid, &mut parsed[s], &mut warnings, &mut buf);
                    count_outcome(&outcome, &warnings, acc);
                    each(Totalled {
                        id: if id.is_empty() { &uid } else { &id },
                        outcome,
                        warnings,
                    });
                }
            }
        };
        let lens: Vec<usize> = shards.iter().map(|c| c.pending.len()).collect();
        let n: usize = lens.iter().sum();
        match second {
            Some(mut second) if n >= SPLIT_FROM => {
                let (head, tail) = halves(&lens);
                let tail_acc = beside(
                    || run(head, &mut first, &mut acc),
                    |acc| run(tail, &mut second, acc),
                );
                acc.add(&tail_acc);
            }
            _ => run(
                lens.iter().enumerate().map(|(s, &l)| (s, 0..l)).collect(),
                &mut first,
                &mut acc,
            ),
        }
        acc
    }

    /// The purchase the yearly indicators count for pending `index` (whose uid is `uid`), its
    /// considerations' coverages in `buf`; its warnings pushed to `warnings`, in the order a
    /// build without details gives them ([`Consolidator::build`]).
    fn totalled<'b>(
        &self,
        index: usize,
        uid: &str,
        parsed: &mut Parsed,
        warnings: &mut Vec<Warning>,
        buf: &'b mut Vec<Coverage>,
    ) -> Result<Purchase<'b>, Rejection> {
        let p = &self.pending[index];
        let v = &p.version;
        let mut warn = warner(p.first_row, uid, warnings);
        let [social, environmental] = parsed;
        let social = self.considered(v.social, Dimension::Social, social, &mut warn);
        let environmental = self.considered(
            v.environmental,
            Dimension::Environmental,
            environmental,
            &mut warn,
        );
        let amount = self.current_amount(v, &mut warn);
        let date = p.notified(uid)?;
        Ok(purchase_parts(
            date,
            amount.unwrap_or(Amount::ZERO),
            v.innovative == Some(true),
            social,
            environmental,
            buf,
        ))
    }

    /// The uid and the id of pending `p` as text: borrowed from `text` (the arena, when it is
    /// UTF-8) or from the arena when they are UTF-8, else with U+FFFD for the bytes that are
    /// not.
    fn texts<'a>(&'a self, p: &Pending, text: Option<&'a str>) -> (Cow<'a, str>, Cow<'a, str>) {
        let (at, u, i) = (p.at as usize, usize::from(p.uid_len), usize::from(p.id_len));
        let from = |a: usize, z: usize| match text.and_then(|t| t.get(a..z)) {
            Some(t) => Cow::Borrowed(t),
            None => utf8_lossy(&self.arena[a..z]),
        };
        (from(at, at + u), from(at + u, at + u + i))
    }

    /// The considerations of cell `idx` read as the list of `dim` (read once per cell), their
    /// warnings given through `warn`.
    fn considered<'p>(
        &self,
        idx: u32,
        dim: Dimension,
        parsed: &'p mut FastMap<u32, (Considerations, Vec<String>)>,
        warn: &mut impl FnMut(&str, &str, String),
    ) -> &'p Considerations {
        let (x, w) = parsed.entry(idx).or_insert_with(|| {
            let mut w = Vec::new();
            let x = considerations(self.strings.get(idx), dim, &mut w);
            (x, w)
        });
        let field = match dim {
            Dimension::Social => "considerationsSociales",
            _ => "considerationsEnvironnementales",
        };
        for m in w.iter() {
            warn(field, self.strings.get(idx).unwrap_or(""), m.clone());
        }
        x
    }

    /// The amount of the current version `v`; `None`, warned about, when it is missing or
    /// unusable (the contract then counts with a value of 0). Also warns when no row of the
    /// contract was marked current.
    fn current_amount(
        &self,
        v: &Version,
        warn: &mut impl FnMut(&str, &str, String),
    ) -> Option<Amount> {
        let amount = match v.amount() {
            Amt::Ok(cents) => Some(Amount::from_cents(cents)),
            Amt::Missing => {
                warn(
                    "montant",
                    "",
                    "missing in the current version; the contract counts with a value of 0 (as the national file's analysts count it)".to_string(),
                );
                None
            }
            Amt::Bad => {
                warn(
                    "montant",
                    self.strings.get(v.amount.raw()).unwrap_or(""),
                    "unusable in the current version; the contract counts with a value of 0"
                        .to_string(),
                );
                None
            }
        };
        if !v.current && v.has_mod_id {
            warn(
                "donneesActuelles",
                "",
                "no row of the contract is marked current; the version with the highest modification_id is used".to_string(),
            );
        }
        amount
    }

    /// The fields of `c` that only a read keeping [`Details`] fills (buyer, names, CPV,
    /// procedure, lists, framework…), warning through `warn` in the order of the columns.
    fn build_details(
        &self,
        d: &Details,
        c: &mut AwardedContract,
        warn: &mut impl FnMut(&str, &str, String),
    ) {
        let s = |i: u32| self.strings.get(i);
        c.buyer = s(d.buyer).map(|b| {
            let id = Identifier::parse(b.trim());
            if id.siret().is_none() {
                warn(
                    "acheteur_id",
                    b,
                    "not a valid SIRET (14 digits passing the Luhn check); kept as published"
                        .to_string(),
                );
            }
            id
        });
        c.buyer_name = s(d.buyer_name).map(str::to_string);
        c.nature = s(d.nature).map(str::to_string);
        c.object = s(d.object).map(str::to_string);
        if let Some(cpv) = s(d.cpv) {
            match CpvCode::parse(cpv.trim()) {
                Ok(x) => c.cpv = Some(x),
                Err(_) => {
                    warn(
                        "codeCPV",
                        cpv,
                        "not a CPV code (8 digits with an optional \"-D\" check digit); kept as published"
                            .to_string(),
                    );
                    c.extra.insert("codeCPV".to_string(), cpv.to_string());
                }
            }
        }
        c.procedure = s(d.procedure).map(|x| normalise_procedure(x).to_string());
        c.techniques = split_list(s(d.techniques));
        c.execution_modes = split_list(s(d.modes));
        c.price_types = split_list(s(d.price_types));
        c.framework_id = s(d.framework).map(str::to_string);
        c.ccag = s(d.ccag).map(str::to_string);
        c.price_form = s(d.price_form).map(str::to_string);
    }

    fn build(
        &self,
        index: usize,
        text: Option<&str>,
        c: &mut AwardedContract,
        parsed: &mut Parsed,
        warnings: &mut Vec<Warning>,
    ) -> Result<(), Rejection> {
        let s = |i: u32| self.strings.get(i);
        let p = &self.pending[index];
        let v = &p.version;
        let d = self.details.get(index).unwrap_or(&NO_DETAILS);
        let (uid, id) = self.texts(p, text);
        let detailed = self.needs.detailed();
        if detailed {
            // the considerations' buffers outlive the reset (they are written below in any case)
            let kept = (c.social.take(), c.environmental.take());
            c.reset();
            (c.social, c.environmental) = kept;
        } else {
            // A read without details writes only these fields (the others stay as
            // `AwardedContract::default()` left them): the whole reset is not needed.
            c.id.clear();
            c.price_only = None;
            c.amount = None;
            c.modifications.clear();
            debug_assert!(c.buyer.is_none() && c.holders.is_empty() && c.extra.is_empty());
        }
        c.id.push_str(if id.is_empty() { &uid } else { &id });
        let mut warn = warner(p.first_row, &uid, warnings);
        if detailed {
            self.build_details(d, c, &mut warn);
        }
        c.innovative = v.innovative;
        c.publication_date = d.publication;
        c.offers_received = d.offers;
        c.duration_months = d.duration;
        let [social, environmental] = parsed;
        // into the buffers of the previous contract: no allocation per contract
        c.social
            .clone_from(self.considered(v.social, Dimension::Social, social, &mut warn));
        c.environmental.clone_from(self.considered(
            v.environmental,
            Dimension::Environmental,
            environmental,
            &mut warn,
        ));
        if [&c.social, &c.environmental].into_iter().any(|cs| {
            cs.as_ref().is_some_and(|cs| {
                cs.iter()
                    .any(|x| x.instrument == Instrument::AwardCriterion)
            })
        }) {
            c.price_only = Some(false);
        }
        for h in &d.holders {
            let kind = s(h.kind).unwrap_or("SIRET");
            let id = s(h.id).unwrap_or("").trim();
            let mut holder = Holder::new(kind, id);
            if kind == "SIRET" && holder.id.siret().is_none() {
                warn(
                    "titulaire_id",
                    id,
                    "not a valid SIRET (14 digits passing the Luhn check); kept as published"
                        .to_string(),
                );
            }
            holder.name = s(h.name).map(str::to_string);
            holder.category = s(h.category).map(str::to_string);
            holder.distance_km = h.distance;
            c.holders.push(holder);
        }
        if let Some(m) = v.mod_id().filter(|&m| m > 0) {
            c.modifications.push(Modification {
                id: u32::try_from(m).unwrap_or(u32::MAX),
                date: v.date,
                ..Modification::default()
            });
        }
        c.notification_date = p.min_date;
        c.amount = self.current_amount(v, &mut warn);
        p.notified(&uid).map(|_| ())
    }
}

/// `b` as text: borrowed when it is UTF-8 (checked by the standard library's fast path), else
/// with U+FFFD for the bytes that are not.
fn utf8_lossy(b: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(t) => Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(b),
    }
}

/// A ", "-joined list of the consolidated file ("Sans objet" alone: empty).
fn split_list(s: Option<&str>) -> Vec<String> {
    match s {
        None => Vec::new(),
        Some(t) if t.trim() == "Sans objet" => Vec::new(),
        Some(t) => t
            .split(", ")
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect(),
    }
}

/// The considerations of one dimension from a ", "-joined cell: `None` (unknown) when the
/// cell is null or blank; "Sans objet" and "Pas de considération …" mean none.
fn considerations(s: Option<&str>, dim: Dimension, warnings: &mut Vec<String>) -> Considerations {
    let t = s?.trim();
    if t.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for item in t.split(", ").map(str::trim).filter(|x| !x.is_empty()) {
        if item == "Sans objet" {
            continue;
        }
        match Consideration::from_decp(item) {
            Ok(Some(c)) => {
                if c.dimension != dim {
                    warnings.push(format!(
                        "{} consideration \"{}\" in the {} list; kept",
                        c.dimension,
                        excerpt(item),
                        dim
                    ));
                }
                if !out.contains(&c) {
                    out.push(c);
                }
            }
            Ok(None) => {}
            Err(_) => warnings.push(format!(
                "\"{}\" is not a DECP consideration; ignored",
                excerpt(item)
            )),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn consolidator() -> Consolidator {
        let needs = Needs {
            full: false,
            strategy: false,
            names: false,
            details: false,
        };
        Consolidator::new(needs, None, None)
    }

    #[test]
    fn a_contract_pending_takes_one_cache_line() {
        // one per contract of the national file (3.2 M rows): its size is its memory
        assert_eq!(std::mem::size_of::<Pending>(), 64);
        for a in [Amt::Missing, Amt::Bad, Amt::Ok(0), Amt::Ok(MAX_CENTS)] {
            for raw in [0, 1, u32::MAX] {
                let packed = PackedAmt::new(a, raw);
                assert_eq!(packed.get(), a);
                // the text is kept for an unusable amount only
                assert_eq!(packed.raw(), if a == Amt::Bad { raw } else { 0 });
            }
        }
        assert_eq!(PackedAmt::new(Amt::Ok(u64::MAX), 7).get(), Amt::Bad);
        assert_eq!(PackedAmt::new(Amt::Ok(u64::MAX), 7).raw(), 7);
    }

    #[test]
    fn uids_and_ids_beyond_the_longest_are_rejected_with_their_row() {
        let mut c = consolidator();
        let long = vec![b'u'; MAX_KEY + 1];
        let just = vec![b'v'; MAX_KEY];
        let mut rows = Vec::new();
        for (uid, id) in [
            (&long[..], &b"1"[..]),
            (&b"A"[..], &long[..]),
            (&just[..], &just[..]),
            // a later row of a contract already kept: its id is not kept, the row counts
            (&just[..], &long[..]),
        ] {
            let mut r = Row::default();
            r.cells[Col::Uid as usize] = Val::Text(uid);
            r.cells[Col::Id as usize] = Val::Text(id);
            r.cells[Col::DateNotification as usize] = Val::Text(b"2024-03-01");
            r.cells[Col::Montant as usize] = Val::Text(b"10");
            rows.push(r);
        }
        for (k, r) in rows.iter().enumerate() {
            c.add_hashed(k as u64, r, None);
        }
        let (rejected, _) = c.take_row_diagnostics();
        assert_eq!(
            rejected.iter().map(|r| r.record).collect::<Vec<_>>(),
            [0, 1]
        );
        assert!(
            rejected[0]
                .reason
                .starts_with("uid or id longer than 65535 bytes")
        );
        // the longest kept whole, uid and id
        assert_eq!(c.pending.len(), 1);
        assert_eq!(c.pending[0].uid(&c.arena), &just[..]);
        assert_eq!(c.pending[0].id(&c.arena), &just[..]);
        assert_eq!(c.pending[0].rows, 2);
        let acc = Consolidator::finish_all(vec![c], |_| {}, None::<fn(Reduced<'_>)>);
        assert_eq!((acc.rows, acc.rejected, acc.accepted), (4, 2, 1));
    }

    #[test]
    fn uids_whose_hashes_collide_are_kept_apart() {
        // Every uid given the same hash: the index tells them apart by their bytes, before
        // and after the table grew.
        for reserved in [0, 4_000] {
            let mut c = consolidator();
            c.expect_rows(reserved);
            let uid = |k: usize| format!("2175000160001920{k:05}");
            let mut slots = Vec::new();
            for k in 0..3_000 {
                let h = if reserved > 0 {
                    42
                } else {
                    uid_hash(uid(k).as_bytes())
                };
                slots.push(c.slot(h, uid(k).as_bytes(), None, k as u64));
            }
            assert_eq!(slots, (0..3_000).map(Ok).collect::<Vec<_>>());
            for k in (0..3_000).rev() {
                let h = if reserved > 0 {
                    42
                } else {
                    uid_hash(uid(k).as_bytes())
                };
                assert_eq!(c.slot(h, uid(k).as_bytes(), None, 9_999), Ok(k), "uid {k}");
            }
            assert_eq!(c.pending.len(), 3_000);
            assert_eq!(c.pending[17].first_row, 17);
        }
    }

    #[test]
    fn strings_recognised_by_address_are_those_recognised_by_content() {
        let buffer = b"Ville de ParisVille de Lyon".to_vec();
        let (paris, lyon, ville) = (&buffer[..14], &buffer[14..], &buffer[..5]);
        let mut by_content = Interner::default();
        let expected: Vec<u32> = [paris, lyon, ville, paris]
            .iter()
            .map(|s| by_content.id(Some(s)))
            .collect();
        let mut by_address = Interner::default();
        by_address.stable_addresses(true);
        // `ville` starts where `paris` does: the length tells them apart
        let got: Vec<u32> = [paris, lyon, ville, paris, ville]
            .iter()
            .map(|s| by_address.id_at(s))
            .collect();
        assert_eq!(got[..4], expected[..]);
        assert_eq!(got[4], expected[2]);
        assert_eq!(by_address.get(got[2]), Some("Ville"));
        // once the promise is withdrawn, nothing is remembered by address
        by_address.stable_addresses(false);
        assert!(by_address.by_address.is_empty());
        let copy = paris.to_vec();
        assert_eq!(by_address.id_at(&copy), expected[0]);
    }

    #[test]
    fn a_read_without_details_builds_each_contract_afresh() {
        // The build without details clears only what it writes: a contract with a
        // modification, an amount and an award criterion, then one with none of them, must
        // not inherit anything; and it must agree with the detailed build on those fields.
        let rows: [[&str; 6]; 3] = [
            // uid, montant, modification_id, donneesActuelles, considerationsSociales, date
            ["A", "1000.5", "2", "true", "Critère social", "2024-03-01"],
            ["B", "", "", "true", "", "2024-05-01"],
            ["C", "12", "0", "", "Sans objet", "2025-01-02"],
        ];
        let built = |needs: Needs| {
            let mut c = Consolidator::new(needs, None, None);
            for (k, r) in rows.iter().enumerate() {
                let mut row = Row::default();
                row.cells[Col::Uid as usize] = Val::Text(r[0].as_bytes());
                row.cells[Col::AcheteurId as usize] = Val::Text(b"21750001600019");
                row.cells[Col::Montant as usize] = Val::Text(r[1].as_bytes());
                row.cells[Col::ModificationId as usize] = Val::Text(r[2].as_bytes());
                row.cells[Col::DonneesActuelles as usize] = Val::Text(r[3].as_bytes());
                row.cells[Col::ConsSociales as usize] = Val::Text(r[4].as_bytes());
                row.cells[Col::DateNotification as usize] = Val::Text(r[5].as_bytes());
                c.add_hashed(k as u64, &row, None);
            }
            let mut out = Vec::new();
            Consolidator::finish_all(
                vec![c],
                |r| {
                    let c = r.outcome.unwrap();
                    out.push(format!(
                        "{} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {}",
                        c.id,
                        c.amount,
                        c.modifications,
                        c.price_only,
                        c.social,
                        c.environmental,
                        c.notification_date,
                        c.innovative,
                        r.warnings.len()
                    ));
                },
                None::<fn(Reduced<'_>)>,
            );
            out
        };
        let light = built(consolidator().needs);
        let detailed = built(Needs {
            full: true,
            strategy: true,
            names: true,
            details: true,
        });
        assert_eq!(light, detailed);
        assert!(
            light[0].contains("Some(Amount(1000.50))") && light[0].contains("Some(false)"),
            "{}",
            light[0]
        );
        assert!(light[1].starts_with("B None [] None"), "{}", light[1]);
    }

    #[test]
    fn a_consideration_in_the_other_list_is_warned_about_on_every_contract() {
        // "Clause sociale" read first in a social list (no warning), then in the
        // environmental list of two contracts: each of those is warned about, whether the
        // contracts are built or only counted (a cell reads differently in each list).
        let rows = [
            ("A", "Clause sociale", ""),
            ("B", "", "Clause sociale"),
            ("C", "Sans objet", "Clause sociale"),
        ];
        let consolidator = || {
            let mut c = consolidator();
            for (k, (uid, social, env)) in rows.iter().enumerate() {
                let mut row = Row::default();
                row.cells[Col::Uid as usize] = Val::Text(uid.as_bytes());
                row.cells[Col::Montant as usize] = Val::Text(b"10");
                row.cells[Col::DateNotification as usize] = Val::Text(b"2024-03-01");
                row.cells[Col::ConsSociales as usize] = Val::Text(social.as_bytes());
                row.cells[Col::ConsEnvironnementales as usize] = Val::Text(env.as_bytes());
                c.add_hashed(k as u64, &row, None);
            }
            c
        };
        let expected = vec![
            (0, vec![]),
            (
                1,
                vec![
                    "social consideration \"Clause sociale\" in the environmental list; kept"
                        .to_string(),
                ],
            ),
            (
                2,
                vec![
                    "social consideration \"Clause sociale\" in the environmental list; kept"
                        .to_string(),
                ],
            ),
        ];
        let messages = |w: &[Warning]| w.iter().map(|w| w.message.clone()).collect::<Vec<_>>();
        let mut built = Vec::new();
        Consolidator::finish_all(
            vec![consolidator()],
            |r| {
                built.push((
                    r.outcome.map(|_| ()).map_or(9, |()| built.len()),
                    messages(&r.warnings),
                ))
            },
            None::<fn(Reduced<'_>)>,
        );
        assert_eq!(built, expected);
        let mut counted = Vec::new();
        Consolidator::finish_totals(
            vec![consolidator()],
            |t| {
                counted.push((
                    ["A", "B", "C"].iter().position(|u| *u == t.id).unwrap_or(9),
                    messages(&t.warnings),
                ))
            },
            None::<fn(Totalled<'_>)>,
        );
        counted.sort();
        assert_eq!(counted, expected);
    }

    /// What the consolidator reads from a cell of `col`, and the warnings it gives.
    fn read(col: Col, v: Val<'_>) -> (String, Vec<String>) {
        let mut c = consolidator();
        let got = match col {
            Col::DateNotification => format!("{:?}", c.date(7, "dateNotification", v)),
            Col::DonneesActuelles => format!("{:?}", c.boolean(7, "donneesActuelles", v)),
            Col::ModificationId => format!("{:?}", c.integer(7, "modification_id", v)),
            _ => format!("{:?}", c.amount(7, v)),
        };
        let warnings = c.row_warnings.iter().map(|w| w.message.clone()).collect();
        (got, warnings)
    }

    /// Cells of the four typed columns: their common forms, near misses and noise.
    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            (
                1800i32..2200,
                0u32..14,
                0u32..33,
                prop_oneof![Just(""), Just("T10:00:00"), Just("x")]
            )
                .prop_map(|(y, m, d, t)| format!("{y:04}-{m:02}-{d:02}{t}")),
            prop_oneof![
                Just("true"),
                Just("True"),
                Just("TRUE"),
                Just("false"),
                Just("FALSE"),
                Just("tRue"),
                Just("oui"),
                Just("0"),
                Just(" true "),
                Just("")
            ]
            .prop_map(str::to_string),
            (0u64..100_000_000_000_000_000, 0usize..5).prop_map(|(n, point)| {
                let t = n.to_string();
                let p = t.len().saturating_sub(point);
                if point == 0 {
                    t
                } else {
                    format!("{}.{}", &t[..p], &t[p..])
                }
            }),
            "[-+ 0-9.,eE]{0,14}",
            "[ -~]{0,12}",
        ]
    }

    proptest! {
        /// A cell read typed on the splitting thread gives the consolidator exactly what its
        /// text gives it, warnings included (none: only warning-free forms are typed).
        #[test]
        fn typed_cells_read_as_their_text(t in cell()) {
            for col in [Col::DateNotification, Col::DonneesActuelles, Col::ModificationId, Col::Montant] {
                let typed = typed_cell(col, t.as_bytes());
                if typed != Val::Null {
                    let (got, warnings) = read(col, typed);
                    prop_assert_eq!((got, warnings), read(col, Val::Text(t.as_bytes())), "{:?} {:?}", col, t);
                }
            }
        }
    }

    proptest! {
        /// A double amount (the Parquet `montant`) gives the cents of its shortest decimal
        /// text, whichever path reads it: half-cents, long fractions, huge and negative
        /// values included.
        #[test]
        fn double_amounts_read_as_their_shortest_text(n in prop_oneof![
            (0u64..10_000_000_000_000).prop_map(|c| c as f64 / 100.0),
            (0u64..10_000_000_000_000).prop_map(|c| c as f64 / 100.0 + 0.005),
            (0u64..1_000_000_000).prop_map(|c| c as f64 / 1000.0),
            -1e3f64..1e17,
            Just(f64::from_bits(0.005f64.to_bits() - 1)),
            Just(45_035_996_273_704.96f64),
            Just(9_007_199_254_740_991.0 / 100.0),
        ]) {
            let text = n.to_string();
            let (got, _) = read(Col::Montant, Val::Num(n));
            let (want, _) = read(Col::Montant, Val::Text(text.as_bytes()));
            prop_assert_eq!(got, want, "{}", text);
        }
    }

    #[test]
    fn common_forms_are_typed() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 15).unwrap();
        assert_eq!(
            typed_cell(Col::DateNotification, b"2024-03-15"),
            Val::Date(d)
        );
        assert_eq!(typed_cell(Col::DateNotification, b"1024-03-15"), Val::Null);
        assert_eq!(typed_cell(Col::DonneesActuelles, b" true"), Val::Bool(true));
        assert_eq!(typed_cell(Col::DonneesActuelles, b"oui"), Val::Null);
        assert_eq!(typed_cell(Col::ModificationId, b"2"), Val::Int(2));
        assert_eq!(
            typed_cell(Col::Montant, b"137614.25"),
            Val::Cents(13_761_425)
        );
        assert_eq!(typed_cell(Col::Montant, b"1 234,50"), Val::Null);
        assert_eq!(typed_cell(Col::Uid, b"2"), Val::Null);
    }
}
