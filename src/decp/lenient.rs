//! Lenient reading of one record: every schema deviation of FACTS §12 is accepted with a
//! warning; a record is rejected only when it cannot be used (no amount, no date).

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use super::diag::{Rejection, Warning};
use super::format::{Format, OUTLIER_BOUND};
use super::json::{Member, Raw};
use super::model::{
    AwardedContract, Concession, Considerations, Contract, Holder, Identifier, Modification,
};
use crate::util::hash::{HashMap64, HashSet64};
use crate::util::text::excerpt;
use crate::values::cpv::CpvCode;
use crate::values::date::{EARLIEST_YEAR, LATEST_YEAR, plausible_date};
use crate::values::money::{
    Amount, ConventionVotes, NumberConvention, NumberReading, parse_decimal_with,
};
use crate::vocabulary::consideration::Consideration;
use crate::vocabulary::dimension::Dimension;

/// Which array a record comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Marche,
    Concession,
    /// 2019 `marches` array: decided by `_type` or the buyer field.
    Either,
}

/// The state of the conversion of one record.
pub(crate) struct Ctx {
    pub record: u64,
    pub id: Option<String>,
    pub format: Format,
    pub warnings: Vec<Warning>,
    /// Keep every field (false: only those the indicators read; the same warnings either way).
    pub full: bool,
    /// Keep the fields of the strategy indicators (techniques, nature) even when not `full`.
    pub strategy: bool,
    /// Raw values already read without warning (moved in and out by the reader).
    pub memo: Memo,
    /// What the file's amounts written as text said so far about its number convention
    /// (moved in and out by the reader).
    pub votes: ConventionVotes,
    /// The convention the caller declared, if any.
    pub declared: Option<NumberConvention>,
}

/// The top-level record keys the reader knows; any other key is [`Field::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Field {
    Other = 0,
    Id,
    Type,
    Acheteur,
    AutoriteConcedante,
    Nature,
    Objet,
    CodeCpv,
    Procedure,
    Techniques,
    ModalitesExecution,
    IdAccordCadre,
    MarcheInnovant,
    Ccag,
    OffresRecues,
    Montant,
    DureeMois,
    DateNotification,
    DatePublicationDonnees,
    FormePrix,
    TypesPrix,
    Titulaires,
    ConsiderationsSociales,
    ConsiderationsEnvironnementales,
    Modifications,
    DateSignature,
    DateDebutExecution,
    ValeurGlobale,
    MontantSubventionPublique,
    Concessionnaires,
}

/// Every known field with its key, in the order of the enum (`FIELDS[i]` is field `i + 1`).
const FIELDS: [(Field, &str); 29] = [
    (Field::Id, "id"),
    (Field::Type, "_type"),
    (Field::Acheteur, "acheteur"),
    (Field::AutoriteConcedante, "autoriteConcedante"),
    (Field::Nature, "nature"),
    (Field::Objet, "objet"),
    (Field::CodeCpv, "codeCPV"),
    (Field::Procedure, "procedure"),
    (Field::Techniques, "techniques"),
    (Field::ModalitesExecution, "modalitesExecution"),
    (Field::IdAccordCadre, "idAccordCadre"),
    (Field::MarcheInnovant, "marcheInnovant"),
    (Field::Ccag, "ccag"),
    (Field::OffresRecues, "offresRecues"),
    (Field::Montant, "montant"),
    (Field::DureeMois, "dureeMois"),
    (Field::DateNotification, "dateNotification"),
    (Field::DatePublicationDonnees, "datePublicationDonnees"),
    (Field::FormePrix, "formePrix"),
    (Field::TypesPrix, "typesPrix"),
    (Field::Titulaires, "titulaires"),
    (Field::ConsiderationsSociales, "considerationsSociales"),
    (
        Field::ConsiderationsEnvironnementales,
        "considerationsEnvironnementales",
    ),
    (Field::Modifications, "modifications"),
    (Field::DateSignature, "dateSignature"),
    (Field::DateDebutExecution, "dateDebutExecution"),
    (Field::ValeurGlobale, "valeurGlobale"),
    (
        Field::MontantSubventionPublique,
        "montantSubventionPublique",
    ),
    (Field::Concessionnaires, "concessionnaires"),
];

/// Slots of the open-addressing table from key hashes to fields (a power of two, well above
/// the number of fields so that probes stay short).
const FIELD_SLOTS: usize = 128;

impl Field {
    fn from_u8(n: u8) -> Field {
        match usize::from(n).checked_sub(1).and_then(|i| FIELDS.get(i)) {
            Some(&(f, _)) => f,
            None => Field::Other,
        }
    }

    /// The key (empty for [`Field::Other`]).
    fn name(self) -> &'static str {
        match (self as usize).checked_sub(1).and_then(|i| FIELDS.get(i)) {
            Some(&(_, k)) => k,
            None => "",
        }
    }

    fn by_name(name: &[u8]) -> Field {
        FIELDS
            .iter()
            .find(|(_, k)| k.as_bytes() == name)
            .map_or(Field::Other, |&(f, _)| f)
    }

    /// Key hash → (field, key), by linear probing (built once).
    fn table() -> &'static FieldTable {
        static TABLE: std::sync::OnceLock<FieldTable> = std::sync::OnceLock::new();
        TABLE.get_or_init(|| {
            let mut t: FieldTable = [(0u64, Field::Other, &b""[..]); FIELD_SLOTS];
            for &(f, k) in &FIELDS {
                let h = crate::util::hash::hash_bytes(k.as_bytes(), super::json::KEY_SEED);
                let mut i = h as usize % FIELD_SLOTS;
                while t[i].1 != Field::Other {
                    i = (i + 1) % FIELD_SLOTS;
                }
                t[i] = (h, f, k.as_bytes());
            }
            t
        })
    }
}

/// Open-addressing table of the known keys: (key hash, field, key); empty slots hold
/// [`Field::Other`].
type FieldTable = [(u64, Field, &'static [u8]); FIELD_SLOTS];

/// Resolves the field of every member (`buf`: the bytes their spans refer to). Exact: a hash
/// match is confirmed by comparing the key's bytes.
pub(crate) fn resolve_fields(members: &mut [Member], buf: &[u8]) {
    let table = Field::table();
    for m in members {
        m.field = field_in(table, m, buf) as u8;
    }
}

fn field_in(table: &FieldTable, m: &Member, buf: &[u8]) -> Field {
    let Some(raw) = buf.get(m.key.0..m.key.1) else {
        return Field::Other;
    };
    if m.key_escaped {
        return match std::str::from_utf8(raw) {
            Ok(k) => Field::by_name(super::json::unescape(k).as_bytes()),
            Err(_) => Field::Other,
        };
    }
    let mut i = m.key_hash as usize % FIELD_SLOTS;
    loop {
        let (h, f, name) = table[i];
        if f == Field::Other {
            return Field::Other;
        }
        if h == m.key_hash && same_bytes(name, raw) {
            return f;
        }
        i = (i + 1) % FIELD_SLOTS;
    }
}

/// `a == b`, inline for short slices (keys): eight bytes at a time with an overlapping last
/// word, no call to `memcmp`.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    use crate::util::hash::{read4, read8};
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            if read8(a, i) != read8(b, i) {
                return false;
            }
            i += 8;
        }
        read8(a, n - 8) == read8(b, n - 8)
    } else if n >= 4 {
        read4(a, 0) == read4(b, 0) && read4(a, n - 4) == read4(b, n - 4)
    } else {
        a.iter().zip(b).all(|(x, y)| x == y)
    }
}

/// One top-level member of a record being converted.
#[derive(Clone, Copy)]
struct Item<'a> {
    field: Field,
    value: Raw<'a>,
    /// Content hash of the value.
    hash: u64,
    member: &'a Member,
}

/// The top-level members of a record, read from its text, with their fields resolved.
pub(crate) struct Fields<'a> {
    /// The record's text.
    pub text: &'a str,
    /// Offset of the record in the spans of `members`.
    pub start: usize,
    pub members: &'a [Member],
}

impl<'a> Fields<'a> {
    fn iter(&self) -> impl DoubleEndedIterator<Item = Item<'a>> + '_ {
        let (text, start, members) = (self.text, self.start, self.members);
        members.iter().map(move |m| Item {
            field: Field::from_u8(m.field),
            value: Raw(&text[m.value.0 - start..m.value.1 - start]),
            hash: m.hash,
            member: m,
        })
    }

    /// The top-level key whose member spans position `at` (in the members' coordinates), for
    /// naming the field of a replaced byte.
    pub(crate) fn field_at(&self, at: usize) -> String {
        self.members
            .iter()
            .find(|m| m.key.0 <= at && at < m.value.1.max(m.key.1))
            .map_or_else(|| "(record)".to_string(), |m| self.key(m).into_owned())
    }

    /// The raw value of the top-level member spanning `at` (the whole record if none).
    pub(crate) fn value_at(&self, at: usize) -> &'a str {
        let span = self
            .members
            .iter()
            .find(|m| m.key.0 <= at && at < m.value.1.max(m.key.1))
            .map(|m| (m.value.0 - self.start, m.value.1 - self.start));
        span.and_then(|(a, b)| self.text.get(a..b))
            .unwrap_or(self.text)
    }

    /// The key of a member, unescaped.
    fn key(&self, m: &Member) -> Cow<'a, str> {
        let k = &self.text[m.key.0 - self.start..m.key.1 - self.start];
        if m.key_escaped {
            Cow::Owned(super::json::unescape(k))
        } else {
            Cow::Borrowed(k)
        }
    }
}

/// Entries kept per memo table before it is cleared (bounds memory).
const MEMO_CAP: usize = 1 << 14;

/// Raw values that were read without any warning, by (field, content hash): the same value read
/// again gives the same result and again no warning, so it need not be validated twice. Values
/// with warnings are never memoised: their warnings are emitted for every record.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    /// Fields validated clean that the indicator-only read does not keep.
    clean: HashSet64,
    considerations: HashMap64<Considerations>,
    identifiers: HashMap64<Option<Identifier>>,
    procedures: HashMap64<Option<String>>,
}

fn memo_key(field: &str, hash: u64) -> u64 {
    crate::util::hash::hash_bytes(field.as_bytes(), hash)
}

/// Validates a field the indicator-only read does not keep, unless the same raw value was
/// already validated without warning.
fn validate_once(ctx: &mut Ctx, field: &str, hash: u64, validate: impl FnOnce(&mut Ctx)) {
    let key = memo_key(field, hash);
    if ctx.memo.clean.contains(&key) {
        return;
    }
    let before = ctx.warnings.len();
    validate(ctx);
    if ctx.warnings.len() == before {
        if ctx.memo.clean.len() >= MEMO_CAP {
            ctx.memo.clean.clear();
        }
        ctx.memo.clean.insert(key);
    }
}

/// Reads a value through a memo table: computed (with its warnings) unless the same raw value was
/// read before without warning.
fn memoised<T: Clone>(
    ctx: &mut Ctx,
    field: &str,
    hash: u64,
    table: fn(&mut Memo) -> &mut HashMap64<T>,
    compute: impl FnOnce(&mut Ctx) -> T,
) -> T {
    let key = memo_key(field, hash);
    if let Some(v) = table(&mut ctx.memo).get(&key) {
        return v.clone();
    }
    let before = ctx.warnings.len();
    let v = compute(ctx);
    if ctx.warnings.len() == before {
        let t = table(&mut ctx.memo);
        if t.len() >= MEMO_CAP {
            t.clear();
        }
        t.insert(key, v.clone());
    }
    v
}

impl Ctx {
    /// Warns about `field`, quoting at most 80 characters of its raw value.
    pub fn warn(&mut self, field: &str, raw: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            record: self.record,
            id: self.id.clone(),
            field: excerpt(field).into_owned(),
            value: excerpt(raw).into_owned(),
            message: message.into(),
        });
    }

    fn reject(&self, reason: String) -> Rejection {
        Rejection {
            record: self.record,
            id: self.id.clone(),
            reason,
        }
    }
}

/// Removes whitespace outside strings from validated JSON text (for `extra` values).
pub(crate) fn minify(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut in_str = false;
    let mut escaped = false;
    for c in raw.chars() {
        if in_str {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
        } else if c == '"' {
            in_str = true;
            out.push(c);
        } else if !c.is_ascii_whitespace() {
            out.push(c);
        }
    }
    out
}

/// The warning for a non-finite number token (`NaN`, `Infinity`) read as null.
const NON_FINITE: &str = "non-finite number (NaN or Infinity, as pandas writes a missing value) read as null; left empty";

/// Warns and returns true when `v` is a non-finite number token: the value is then null.
fn non_finite(ctx: &mut Ctx, field: &str, v: Raw<'_>) -> bool {
    if v.is_non_finite() {
        ctx.warn(field, v.0, NON_FINITE);
        return true;
    }
    false
}

fn is_nc(s: &str) -> bool {
    let t = s.trim();
    t.is_empty() || t.eq_ignore_ascii_case("nc") || t.eq_ignore_ascii_case("n/a")
}

/// A text field.
fn text<'a>(ctx: &mut Ctx, field: &str, v: Raw<'a>) -> Option<Cow<'a, str>> {
    if non_finite(ctx, field, v) {
        return None;
    }
    if let Some(s) = v.as_str() {
        if is_nc(&s) {
            ctx.warn(
                field,
                v.0,
                "\"NC\" or empty text for a missing value; left empty",
            );
            return None;
        }
        return Some(s);
    }
    if let Some(n) = v.as_number() {
        ctx.warn(field, v.0, "number where text is expected; kept as text");
        return Some(Cow::Borrowed(n));
    }
    if v.is_null() {
        ctx.warn(field, v.0, "null value; left empty");
        return None;
    }
    ctx.warn(field, v.0, "not a text value; left empty");
    None
}

/// A text field kept in the model only when reading every field (validated either way).
fn kept(ctx: &mut Ctx, field: &str, v: Raw<'_>) -> Option<String> {
    let t = text(ctx, field, v);
    if ctx.full {
        t.map(Cow::into_owned)
    } else {
        None
    }
}

/// [`kept`], skipping the validation of a value already seen clean in indicator-only reads.
fn kept_once(ctx: &mut Ctx, field: &str, hash: u64, v: Raw<'_>) -> Option<String> {
    if ctx.full {
        return kept(ctx, field, v);
    }
    validate_once(ctx, field, hash, |ctx| {
        text(ctx, field, v);
    });
    None
}

/// [`owned_list`], skipping the validation of a value already seen clean in indicator-only
/// reads.
fn list_once(ctx: &mut Ctx, field: &str, hash: u64, inner: &str, v: Raw<'_>) -> Vec<String> {
    if ctx.full {
        return owned_list(ctx, field, inner, v);
    }
    validate_once(ctx, field, hash, |ctx| {
        string_list(ctx, field, inner, v);
    });
    Vec::new()
}

/// A boolean field.
fn boolean(ctx: &mut Ctx, field: &str, v: Raw<'_>) -> Option<bool> {
    if non_finite(ctx, field, v) {
        return None;
    }
    match v.0 {
        "true" => return Some(true),
        "false" => return Some(false),
        "null" => {
            ctx.warn(field, v.0, "null value; left empty");
            return None;
        }
        "1" => {
            ctx.warn(field, v.0, "number 1 as a boolean; read as true");
            return Some(true);
        }
        "0" => {
            ctx.warn(field, v.0, "number 0 as a boolean; read as false");
            return Some(false);
        }
        _ => {}
    }
    if let Some(s) = v.as_str() {
        let t = s.trim().to_lowercase();
        let b = match t.as_str() {
            "true" | "oui" | "1" | "vrai" | "yes" | "o" => Some(true),
            "false" | "non" | "0" | "faux" | "no" | "n" => Some(false),
            _ => None,
        };
        return match b {
            Some(b) => {
                ctx.warn(field, v.0, format!("boolean as a string; read as {b}"));
                Some(b)
            }
            None => {
                ctx.warn(field, v.0, "not a boolean; left empty");
                None
            }
        };
    }
    ctx.warn(field, v.0, "not a boolean; left empty");
    None
}

/// An integer field (months, offers, modification id).
fn integer(ctx: &mut Ctx, field: &str, v: Raw<'_>) -> Option<u32> {
    if non_finite(ctx, field, v) {
        return None;
    }
    if let Some(n) = v.as_number() {
        if let Ok(i) = n.parse::<u32>() {
            return Some(i);
        }
        if let Some(d) = decimal(n) {
            if d.fract().is_zero() && d >= Decimal::ZERO {
                if let Some(i) = d.to_u32() {
                    ctx.warn(
                        field,
                        v.0,
                        "integer written as a decimal; read as an integer",
                    );
                    return Some(i);
                }
            }
        }
        ctx.warn(field, v.0, "not a non-negative integer; left empty");
        return None;
    }
    if let Some(s) = v.as_str() {
        if is_nc(&s) {
            ctx.warn(
                field,
                v.0,
                "\"NC\" or empty text for a missing value; left empty",
            );
            return None;
        }
        if let Ok(i) = s.trim().parse::<u32>() {
            ctx.warn(field, v.0, "number as a string; read as a number");
            return Some(i);
        }
    }
    if v.is_null() {
        ctx.warn(field, v.0, "null value; left empty");
        return None;
    }
    ctx.warn(field, v.0, "not a non-negative integer; left empty");
    None
}

/// A JSON number as an exact decimal (plain or scientific notation).
fn decimal(n: &str) -> Option<Decimal> {
    if n.contains(['e', 'E']) {
        Decimal::from_scientific(n).ok()
    } else {
        Decimal::from_str_exact(n).ok()
    }
}

/// What became of an amount field.
enum Money {
    Ok(Amount),
    /// Beyond the representable bound: kept raw in `extra`.
    Unrepresentable,
    Missing,
}

/// An amount field (montant, valeurGlobale…). `outlier` is set when the value is beyond
/// [`OUTLIER_BOUND`].
fn money(ctx: &mut Ctx, field: &str, v: Raw<'_>, outlier: &mut bool) -> Money {
    if v.is_non_finite() {
        ctx.warn(
            field,
            v.0,
            "non-finite number (NaN or Infinity) where an amount is expected; the amount is unusable",
        );
        return Money::Missing;
    }
    let d = if let Some(n) = v.as_number() {
        match decimal(n) {
            Some(d) => d,
            None => {
                // Too many digits for a Decimal: certainly absurd.
                *outlier = true;
                ctx.warn(
                    field,
                    v.0,
                    "amount beyond the representable range; flagged as an outlier, kept as published and left out of the indicators",
                );
                return Money::Unrepresentable;
            }
        }
    } else if let Some(s) = v.as_str() {
        if is_nc(&s) {
            ctx.warn(
                field,
                v.0,
                "\"NC\" or empty text for a missing amount; left empty",
            );
            return Money::Missing;
        }
        // The number convention is the file's, never the cell's: a text that reads two ways
        // ("12.500") takes the convention declared or proved by the file's earlier amounts.
        let reading = NumberConvention::read(&s);
        if let NumberReading::Proves(_) = reading {
            ctx.votes.add(&s);
        }
        let convention = ctx.votes.decide(ctx.declared);
        match parse_decimal_with(&s, convention) {
            Ok(d) => {
                let how = match (reading, convention) {
                    (NumberReading::Ambiguous, Some(NumberConvention::DecimalComma)) => {
                        "amount as a string, read with the file's decimal comma (its dot groups thousands)"
                    }
                    (NumberReading::Ambiguous, _) => {
                        "amount as a string, read with the file's decimal point"
                    }
                    _ => "amount as a string; read as a number",
                };
                ctx.warn(field, v.0, how);
                d
            }
            Err(_) if reading == NumberReading::Ambiguous => {
                ctx.warn(
                    field,
                    v.0,
                    "amount as a string that reads two ways (a dot or comma before exactly three digits: thousands or decimals?) and nothing in the file decides; left out of the indicators",
                );
                return Money::Missing;
            }
            Err(_) => {
                ctx.warn(field, v.0, "not an amount; left empty");
                return Money::Missing;
            }
        }
    } else {
        let msg = if v.is_null() {
            "null amount; left empty"
        } else {
            "not an amount; left empty"
        };
        ctx.warn(field, v.0, msg);
        return Money::Missing;
    };
    if d.is_sign_negative() && !d.is_zero() {
        ctx.warn(field, v.0, "negative amount; left empty");
        return Money::Missing;
    }
    if d > OUTLIER_BOUND {
        *outlier = true;
        ctx.warn(
            field,
            v.0,
            format!(
                "amount beyond the sanity bound of {OUTLIER_BOUND} euros; flagged as an outlier"
            ),
        );
    }
    let amount = match Amount::new(d) {
        Ok(a) => a,
        Err(_) if d.normalize().scale() > 2 && d <= OUTLIER_BOUND => {
            match Amount::rounded(d, RoundingStrategy::MidpointNearestEven) {
                Ok(a) => {
                    ctx.warn(
                        field,
                        v.0,
                        format!("more than 2 decimal places; rounded half-to-even to {a}"),
                    );
                    a
                }
                Err(_) => return Money::Missing,
            }
        }
        Err(_) => {
            *outlier = true;
            ctx.warn(
                field,
                v.0,
                "amount beyond the representable range (100000000000000 euros); kept as published and left out of the indicators",
            );
            return Money::Unrepresentable;
        }
    };
    Money::Ok(amount)
}

/// `YYYY-MM-DD` exactly, without chrono's format machinery.
fn iso_date(b: &[u8]) -> Option<NaiveDate> {
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

/// A date field: `YYYY-MM-DD`, with a time or time-zone suffix (2019) or `DD/MM/YYYY` accepted
/// with a warning.
fn date(ctx: &mut Ctx, field: &str, v: Raw<'_>) -> Option<NaiveDate> {
    if non_finite(ctx, field, v) {
        return None;
    }
    let d = date_any(ctx, field, v)?;
    if plausible_date(d) {
        return Some(d);
    }
    let why = if (0..100).contains(&d.year()) {
        format!(
            "date with a two-digit year (read as year {}); outside {EARLIEST_YEAR}-{LATEST_YEAR}, unusable",
            d.year()
        )
    } else {
        format!(
            "date outside {EARLIEST_YEAR}-{LATEST_YEAR} (year {}); unusable",
            d.year()
        )
    };
    ctx.warn(field, v.0, why);
    None
}

/// A date field, any year.
fn date_any(ctx: &mut Ctx, field: &str, v: Raw<'_>) -> Option<NaiveDate> {
    let Some(s) = v.as_str() else {
        let msg = if v.is_null() {
            "null date; left empty"
        } else {
            "not a date; left empty"
        };
        ctx.warn(field, v.0, msg);
        return None;
    };
    if let Some(d) = iso_date(s.as_bytes()) {
        return Some(d);
    }
    let t = s.trim();
    if t.len() == 10 {
        if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            return Some(d);
        }
        if let Ok(d) = NaiveDate::parse_from_str(t, "%d/%m/%Y") {
            ctx.warn(field, v.0, "date written DD/MM/YYYY; read as such");
            return Some(d);
        }
    }
    if t.len() > 10 && t.is_char_boundary(10) {
        if let Ok(d) = NaiveDate::parse_from_str(&t[..10], "%Y-%m-%d") {
            ctx.warn(
                field,
                v.0,
                "date with a time or time-zone suffix; the suffix is dropped",
            );
            return Some(d);
        }
    }
    if is_nc(t) {
        ctx.warn(
            field,
            v.0,
            "\"NC\" or empty text for a missing date; left empty",
        );
    } else if t.len() == 8 && NaiveDate::parse_from_str(t, "%d/%m/%y").is_ok() {
        ctx.warn(
            field,
            v.0,
            "date with a two-digit year (DD/MM/YY); unusable, left empty",
        );
    } else {
        ctx.warn(field, v.0, "not a date (YYYY-MM-DD); left empty");
    }
    None
}

/// A list of strings, published wrapped (`{"technique": [..]}`), bare, or as one string.
fn string_list<'a>(
    ctx: &mut Ctx,
    field: &str,
    inner: &str,
    v: Raw<'a>,
) -> Option<Vec<Cow<'a, str>>> {
    if non_finite(ctx, field, v) {
        return None;
    }
    let list = match v.first() {
        b'{' => match v.get(inner) {
            Some(l) => l,
            None => {
                if v.iter_members().next().is_none() {
                    ctx.warn(field, v.0, "empty object; left empty");
                    return None;
                }
                ctx.warn(
                    field,
                    v.0,
                    format!("object without \"{inner}\"; left empty"),
                );
                return None;
            }
        },
        b'[' => {
            ctx.warn(
                field,
                v.0,
                format!("bare list without the \"{inner}\" wrapper; read as the list"),
            );
            v
        }
        b'"' => {
            ctx.warn(
                field,
                v.0,
                "single string instead of a list; read as a list of one",
            );
            v
        }
        _ => {
            if v.is_null() {
                ctx.warn(field, v.0, "null value; left empty");
            } else {
                ctx.warn(field, v.0, "not a list; left empty");
            }
            return None;
        }
    };
    let mut out = Vec::new();
    match list.first() {
        b'[' => {
            for it in list.iter_elements() {
                match it.as_str() {
                    Some(s) => out.push(s),
                    None => ctx.warn(field, it.0, "list item is not a string; ignored"),
                }
            }
            if out.is_empty() {
                ctx.warn(field, v.0, "empty list; left empty");
                return None;
            }
        }
        b'"' => {
            if list.0 != v.0 {
                ctx.warn(
                    field,
                    list.0,
                    "single string instead of a list; read as a list of one",
                );
            }
            out.extend(list.as_str());
        }
        _ => {
            ctx.warn(field, list.0, "not a list; left empty");
            return None;
        }
    }
    Some(out)
}

/// A list of strings kept in the model only when reading every field.
fn owned_list(ctx: &mut Ctx, field: &str, inner: &str, v: Raw<'_>) -> Vec<String> {
    match string_list(ctx, field, inner, v) {
        Some(items) if ctx.full => items.into_iter().map(Cow::into_owned).collect(),
        _ => Vec::new(),
    }
}

/// The DECP consideration strings spelled as in the schema (no allocation, no warning).
fn exact_consideration(t: &str) -> Option<Option<Consideration>> {
    use crate::vocabulary::dimension::Instrument as I;
    let c = |d, i| Some(Some(Consideration::new(d, i)));
    match t {
        "Pas de considération sociale" | "Pas de considération environnementale" => Some(None),
        "Clause sociale" => c(Dimension::Social, I::ExecutionClause),
        "Critère social" => c(Dimension::Social, I::AwardCriterion),
        "Marché réservé" | "Concession réservée" => c(Dimension::Social, I::ReservedContract),
        "Clause environnementale" => c(Dimension::Environmental, I::ExecutionClause),
        "Critère environnemental" => c(Dimension::Environmental, I::AwardCriterion),
        _ => None,
    }
}

/// Considerations of one dimension.
/// A `considerationsSociales` / `considerationsEnvironnementales` field of a marché or a
/// concession, memoised on its content hash.
fn considerations_field(
    ctx: &mut Ctx,
    field: &str,
    hash: u64,
    dimension: Dimension,
    v: Raw<'_>,
) -> Considerations {
    let inner = match dimension {
        Dimension::Environmental => "considerationEnvironnementale",
        _ => "considerationSociale",
    };
    memoised(
        ctx,
        field,
        hash,
        |m| &mut m.considerations,
        |ctx| considerations(ctx, field, inner, dimension, v),
    )
}

fn considerations(
    ctx: &mut Ctx,
    field: &str,
    inner: &str,
    dimension: Dimension,
    v: Raw<'_>,
) -> Considerations {
    let texts = string_list(ctx, field, inner, v)?;
    let mut out = Vec::new();
    let mut any_valid = false;
    for t in &texts {
        if let Some(exact) = exact_consideration(t) {
            if let Some(c) = exact.clone().filter(|c| c.dimension == dimension) {
                if !out.contains(&c) {
                    out.push(c);
                }
                any_valid = true;
                continue;
            }
            if exact.is_none()
                && t.ends_with(if dimension == Dimension::Social {
                    "sociale"
                } else {
                    "environnementale"
                })
            {
                any_valid = true;
                continue;
            }
        }
        let t: &str = t;
        match Consideration::from_decp(t) {
            Ok(Some(c)) => {
                any_valid = true;
                if c.dimension != dimension {
                    ctx.warn(
                        field,
                        t,
                        format!(
                            "{} consideration in the {} list; kept",
                            c.dimension, dimension
                        ),
                    );
                }
                let canonical = c.to_decp_concession() == Some(t) || c.to_decp() == Some(t);
                if !canonical {
                    ctx.warn(
                        field,
                        t,
                        "consideration not spelled as in the schema (apostrophe, case, accents or blanks); read as the listed value",
                    );
                }
                if !out.contains(&c) {
                    out.push(c);
                }
            }
            Ok(None) => {
                any_valid = true;
                let expected = match dimension {
                    Dimension::Social => "Pas de considération sociale",
                    _ => "Pas de considération environnementale",
                };
                if t != expected {
                    ctx.warn(
                        field,
                        t,
                        "\"pas de considération\" not spelled as in the schema; read as none",
                    );
                }
            }
            Err(e) => ctx.warn(field, t, format!("{e}; ignored")),
        }
    }
    if !any_valid {
        ctx.warn(
            field,
            v.0,
            "no recognised consideration; considered unknown",
        );
        return None;
    }
    Some(out)
}

/// Legacy (1.x) procedure names, apostrophe variants and their 2024 names.
const PROCEDURES_2024: [&str; 6] = [
    "Procédure adaptée",
    "Appel d'offres ouvert",
    "Appel d'offres restreint",
    "Procédure avec négociation",
    "Marché passé sans publicité ni mise en concurrence préalable",
    "Dialogue compétitif",
];
const PROCEDURES_LEGACY: [(&str, &str); 4] = [
    (
        "procedure concurrentielle avec negociation",
        "Procédure avec négociation",
    ),
    (
        "procedure negociee avec mise en concurrence prealable",
        "Procédure avec négociation",
    ),
    (
        "marche negocie sans publicite ni mise en concurrence prealable",
        "Marché passé sans publicité ni mise en concurrence préalable",
    ),
    (
        "procedure negociee sans publicite ni mise en concurrence prealable",
        "Marché passé sans publicité ni mise en concurrence préalable",
    ),
];
const PROCEDURES_CONCESSION: [&str; 4] = [
    "Procédure négociée ouverte",
    "Procédure non négociée ouverte",
    "Procédure négociée restreinte",
    "Procédure non négociée restreinte",
];

fn procedure(ctx: &mut Ctx, field: &str, v: Raw<'_>, concession: bool) -> Option<String> {
    let s = text(ctx, field, v)?;
    let list: &[&str] = if concession {
        &PROCEDURES_CONCESSION
    } else {
        &PROCEDURES_2024
    };
    if list.contains(&&*s) {
        return Some(s.into_owned());
    }
    let key = crate::util::text::fold(&s);
    if let Some(p) = list.iter().find(|p| crate::util::text::fold(p) == key) {
        ctx.warn(
            field,
            v.0,
            format!("procedure not spelled as in the schema; read as \"{p}\""),
        );
        return Some((*p).to_string());
    }
    if !concession {
        if let Some((_, p)) = PROCEDURES_LEGACY.iter().find(|(l, _)| *l == key) {
            ctx.warn(
                field,
                v.0,
                format!("legacy procedure name; read as \"{p}\""),
            );
            return Some((*p).to_string());
        }
    }
    ctx.warn(
        field,
        v.0,
        "procedure not in the schema list; kept as published",
    );
    Some(s.into_owned())
}

/// An identifier object (`{"id": ".."}`), or a bare string (warned).
fn buyer(ctx: &mut Ctx, field: &str, field_id: &str, v: Raw<'_>) -> Option<Identifier> {
    if non_finite(ctx, field, v) {
        return None;
    }
    let idv = match v.first() {
        b'{' => match v.get("id") {
            Some(i) => i,
            None => {
                ctx.warn(field, v.0, "no \"id\"; buyer unknown");
                return None;
            }
        },
        b'"' => {
            ctx.warn(
                field,
                v.0,
                "bare string instead of {\"id\": …}; read as the id",
            );
            v
        }
        _ => {
            ctx.warn(field, v.0, "not an object with an id; buyer unknown");
            return None;
        }
    };
    let s = text(ctx, field_id, idv)?;
    let id = Identifier::parse(&s);
    if id.siret().is_none() {
        ctx.warn(
            field_id,
            idv.0,
            "not a valid SIRET (14 digits passing the Luhn check); kept as published",
        );
    }
    Some(id)
}

/// Holders: 2024 `[{"titulaire": {..}}]`, 2019 `[{..}]`. Built only when reading every field
/// (the warnings are the same either way).
fn holders(
    ctx: &mut Ctx,
    field: &str,
    field_id: &str,
    wrapper: &str,
    v: Raw<'_>,
) -> Option<Vec<Holder>> {
    if non_finite(ctx, field, v) {
        return None;
    }
    let single;
    let mut items = match v.first() {
        b'[' => {
            single = None;
            v.iter_elements()
        }
        b'{' => {
            ctx.warn(
                field,
                v.0,
                "single object instead of a list; read as a list of one",
            );
            single = Some(v);
            Raw("[]").iter_elements()
        }
        _ => {
            if v.is_null() {
                ctx.warn(field, v.0, "null value; left empty");
            } else {
                ctx.warn(field, v.0, "not a list of holders; left empty");
            }
            return None;
        }
    };
    let mut out = Vec::new();
    let mut seen = 0;
    while let Some(it) = single.filter(|_| seen == 0).or_else(|| items.next()) {
        seen += 1;
        let obj = match it.get(wrapper) {
            Some(inner) => inner,
            None => {
                if ctx.format == Format::V2024 {
                    ctx.warn(
                        field,
                        it.0,
                        format!(
                            "holder without the \"{wrapper}\" wrapper (2019 layout); read as is"
                        ),
                    );
                }
                it
            }
        };
        let (mut id_type, mut idv, mut name) = (None, None, None);
        // The first of repeated keys wins (see `repeated_keys`).
        for (k, val) in obj.iter_members() {
            match k {
                "typeIdentifiant" if id_type.is_none() => id_type = val.as_str(),
                "id" if idv.is_none() => idv = Some(val),
                "denominationSociale" if name.is_none() => name = val.as_str(),
                _ => {}
            }
        }
        let Some(idv) = idv else {
            ctx.warn(field, it.0, "holder without an id; ignored");
            continue;
        };
        let Some(id) = text(ctx, field_id, idv) else {
            continue;
        };
        let id_type = match id_type {
            Some(t) => t,
            None => {
                ctx.warn(field, it.0, "holder without typeIdentifiant; read as SIRET");
                Cow::Borrowed("SIRET")
            }
        };
        let id = if id_type == "SIRET" {
            let parsed = Identifier::parse(&id);
            if parsed.siret().is_none() {
                ctx.warn(
                    field_id,
                    idv.0,
                    "not a valid SIRET (14 digits passing the Luhn check); kept as published",
                );
            }
            parsed
        } else {
            Identifier::Raw(id.into_owned())
        };
        if ctx.full {
            out.push(Holder {
                id_type: id_type.into_owned(),
                id,
                name: name.map(Cow::into_owned),
                category: None,
                distance_km: None,
            });
        }
    }
    if seen == 0 {
        ctx.warn(field, v.0, "empty list; left empty");
        return None;
    }
    Some(out)
}

/// Modifications: 2024 `[{"modification": {..}}]`, 2019 `[{..}]` without ids.
fn modifications(ctx: &mut Ctx, v: Raw<'_>, concession: bool) -> Vec<Modification> {
    let field = "modifications";
    if non_finite(ctx, field, v) {
        return Vec::new();
    }
    if v.first() != b'[' {
        if !v.is_null() {
            ctx.warn(field, v.0, "not a list; ignored");
        }
        return Vec::new();
    }
    let mut out = Vec::new();
    for (pos, it) in v.iter_elements().enumerate() {
        let obj = match it.get("modification") {
            Some(inner) => inner,
            None => {
                if ctx.format == Format::V2024 {
                    ctx.warn(
                        field,
                        it.0,
                        "modification without the \"modification\" wrapper; read as is",
                    );
                }
                it
            }
        };
        if obj.first() != b'{' {
            ctx.warn(field, it.0, "modification is not an object; ignored");
            continue;
        }
        let mut m = Modification::default();
        let mut has_id = false;
        let mut outlier = false;
        let mut seen: Vec<&str> = Vec::new();
        for (k, val) in obj.iter_members() {
            if seen.contains(&k) {
                ctx.warn(
                    &format!("modifications.{k}"),
                    val.0,
                    "repeated key in a modification; the first value is kept",
                );
                continue;
            }
            seen.push(k);
            match (k, concession) {
                ("id", _) => {
                    if let Some(i) = integer(ctx, "modifications.id", val) {
                        m.id = i;
                        has_id = true;
                    }
                }
                ("montant", false) | ("valeurGlobale", true) => {
                    let f = if concession {
                        "modifications.valeurGlobale"
                    } else {
                        "modifications.montant"
                    };
                    match money(ctx, f, val, &mut outlier) {
                        Money::Ok(a) => m.amount = Some(a),
                        Money::Unrepresentable => {
                            m.extra.insert(k.to_string(), minify(val.0));
                        }
                        Money::Missing => {}
                    }
                }
                ("dureeMois", _) => {
                    m.duration_months = integer(ctx, "modifications.dureeMois", val)
                }
                ("titulaires", false) => {
                    m.holders = holders(
                        ctx,
                        "modifications.titulaires",
                        "modifications.titulaires.id",
                        "titulaire",
                        val,
                    )
                    .filter(|_| ctx.full)
                }
                ("concessionnaires", true) => {
                    m.holders = holders(
                        ctx,
                        "modifications.concessionnaires",
                        "modifications.concessionnaires.id",
                        "concessionnaire",
                        val,
                    )
                    .filter(|_| ctx.full)
                }
                ("dateNotificationModification", false) => {
                    m.date = date(ctx, "modifications.dateNotificationModification", val)
                }
                ("dateSignatureModification", true) => {
                    m.date = date(ctx, "modifications.dateSignatureModification", val)
                }
                ("datePublicationDonneesModification", _) => {
                    m.publication_date =
                        date(ctx, "modifications.datePublicationDonneesModification", val)
                }
                _ => {
                    if ctx.full {
                        let k = if super::json::has_backslash(k) {
                            super::json::unescape(k)
                        } else {
                            k.to_string()
                        };
                        m.extra.insert(k, minify(val.0));
                    }
                }
            }
        }
        if !has_id {
            // 2019 modifications carry no id: their order is their sequence.
            if ctx.format == Format::V2024 {
                ctx.warn(
                    field,
                    it.0,
                    "modification without an id; numbered by position",
                );
            }
            m.id = u32::try_from(pos + 1).unwrap_or(u32::MAX);
        }
        out.push(m);
    }
    if out.is_empty() && ctx.format == Format::V2024 && v.iter_elements().next().is_none() {
        ctx.warn(
            field,
            v.0,
            "empty list (the schema wants the field absent); ignored",
        );
    }
    // Stable: modifications sharing an id keep their published order.
    out.sort_by_key(|m| m.id);
    out
}

/// Converts one record. `members` are its top-level members.
///
/// The contract is built in `slot` (reused from record to record: its allocations are kept);
/// on `Err` the slot holds no meaningful contract.
pub(crate) fn convert(
    ctx: &mut Ctx,
    kind: Kind,
    record: Raw<'_>,
    members: &Fields<'_>,
    slot: &mut Contract,
) -> Result<(), Rejection> {
    if record.first() != b'{' {
        return Err(ctx.reject(format!(
            "record is not a JSON object: {}",
            excerpt(record.0)
        )));
    }
    // The id first, so that every warning names it (one pass for id, `_type` and the
    // concession marker).
    let (mut id_raw, mut type_field, mut has_authority) = (None, None, false);
    for it in members.iter() {
        // The first of repeated keys (see `repeated_keys`).
        match it.field {
            Field::Id if id_raw.is_none() => id_raw = Some(it.value),
            Field::Type if type_field.is_none() => type_field = Some(it.value),
            Field::AutoriteConcedante => has_authority = true,
            _ => {}
        }
    }
    if let Some(v) = id_raw {
        let mut scratch = Ctx {
            record: ctx.record,
            id: None,
            format: ctx.format,
            warnings: Vec::new(),
            full: false,
            strategy: false,
            memo: Memo::default(),
            votes: ConventionVotes::default(),
            declared: None,
        };
        ctx.id = text(&mut scratch, "id", v).map(Cow::into_owned);
    }
    let kind = match kind {
        Kind::Either => {
            let t = type_field.and_then(|v| v.as_str());
            match t.as_deref().map(crate::util::text::fold).as_deref() {
                Some("contrat de concession") | Some("concession") => Kind::Concession,
                Some(_) => Kind::Marche,
                None if has_authority => Kind::Concession,
                None => Kind::Marche,
            }
        }
        k => {
            if let Some(v) = type_field {
                ctx.warn(
                    "_type",
                    v.0,
                    "\"_type\" key of the 2019 format in a 2024 file; ignored",
                );
            }
            k
        }
    };
    match (kind, slot) {
        (Kind::Concession, Contract::Concession(c)) => concession(ctx, members, c),
        (Kind::Concession, slot) => {
            let mut c = Concession::default();
            let r = concession(ctx, members, &mut c);
            *slot = Contract::Concession(c);
            r
        }
        (_, Contract::Awarded(c)) => marche(ctx, members, c),
        (_, slot) => {
            let mut c = AwardedContract::default();
            let r = marche(ctx, members, &mut c);
            *slot = Contract::Awarded(c);
            r
        }
    }
}

/// The indices of the members that repeat an earlier key of the record, each warned about:
/// the **first** value of a repeated key is kept. (Python's `json` keeps the last; a repeated
/// key is a producer's error whose later copy is as often a placeholder — `montant` 724136 then
/// 1 — as a correction, so the reader keeps the value it met first, as a streaming reader that
/// cannot look ahead, and says so.) Empty, without allocating, when no key repeats.
fn repeated_keys(ctx: &mut Ctx, members: &Fields<'_>) -> Vec<usize> {
    let mut known: u64 = 0;
    let mut skip = Vec::new();
    let ms = members.members;
    for (i, m) in ms.iter().enumerate() {
        let first = if m.field != 0 && m.field < 64 {
            let bit = 1u64 << m.field;
            if known & bit == 0 {
                known |= bit;
                continue;
            }
            ms[..i].iter().position(|o| o.field == m.field)
        } else {
            ms[..i].iter().position(|o| {
                o.field == 0 && o.key_hash == m.key_hash && members.key(o) == members.key(m)
            })
        };
        let Some(j) = first else { continue };
        let raw = |m: &Member| {
            members
                .text
                .get(m.value.0 - members.start..m.value.1 - members.start)
                .unwrap_or("")
        };
        let (a, b) = (raw(&ms[j]), raw(m));
        ctx.warn(
            &members.key(m),
            b,
            format!(
                "repeated key: values {} and {}; the first is kept",
                excerpt(a),
                excerpt(b)
            ),
        );
        skip.push(i);
    }
    skip
}

/// Why a record has no usable amount or date, for its rejection.
fn no_usable(field: &str, raw: Option<&str>) -> String {
    match raw {
        Some(r) => format!("no usable {field} (published {})", excerpt(r)),
        None => format!("no usable {field} (missing)"),
    }
}

fn marche(ctx: &mut Ctx, members: &Fields<'_>, c: &mut AwardedContract) -> Result<(), Rejection> {
    c.reset();
    let mut outlier = false;
    let mut has_id = false;
    let skip = repeated_keys(ctx, members);
    let (mut montant_raw, mut date_raw) = (None, None);
    for (i, it) in members.iter().enumerate() {
        if !skip.is_empty() && skip.contains(&i) {
            continue;
        }
        let (k, v, h) = (it.field.name(), it.value, it.hash);
        match it.field {
            Field::Montant => montant_raw = Some(v.0),
            Field::DateNotification => date_raw = Some(v.0),
            _ => {}
        }
        if v.is_non_finite() && it.field != Field::Montant {
            let k = members.key(it.member);
            non_finite(ctx, &k, v);
            continue;
        }
        match it.field {
            Field::Id => {
                has_id = true;
                c.id.clear();
                if let Some(t) = text(ctx, k, v) {
                    c.id.push_str(&t);
                }
            }
            Field::Type => {}
            Field::Acheteur => {
                c.buyer = memoised(
                    ctx,
                    k,
                    h,
                    |m| &mut m.identifiers,
                    |ctx| buyer(ctx, k, "acheteur.id", v),
                );
                if ctx.full {
                    c.buyer_name = v
                        .get("nom")
                        .and_then(|n| n.as_str())
                        .filter(|n| !is_nc(n))
                        .map(Cow::into_owned);
                }
            }
            Field::Nature if ctx.strategy && !ctx.full => {
                c.nature = text(ctx, k, v).map(Cow::into_owned)
            }
            Field::Nature => c.nature = kept_once(ctx, k, h, v),
            Field::Objet => c.object = kept(ctx, k, v),
            Field::CodeCpv => {
                if let Some(s) = text(ctx, k, v) {
                    match CpvCode::parse(&s) {
                        Ok(cpv) => c.cpv = Some(cpv),
                        Err(_) => {
                            ctx.warn(
                                k,
                                v.0,
                                "not a CPV code (8 digits with an optional \"-D\" check digit); kept as published",
                            );
                            c.extra.insert(k.to_string(), minify(v.0));
                        }
                    }
                }
            }
            Field::Procedure => {
                c.procedure = memoised(
                    ctx,
                    k,
                    h,
                    |m| &mut m.procedures,
                    |ctx| procedure(ctx, k, v, false),
                )
            }
            Field::Techniques if ctx.strategy && !ctx.full => {
                c.techniques = string_list(ctx, k, "technique", v)
                    .map(|l| l.into_iter().map(Cow::into_owned).collect())
                    .unwrap_or_default()
            }
            Field::Techniques => c.techniques = list_once(ctx, k, h, "technique", v),
            Field::ModalitesExecution => {
                c.execution_modes = list_once(ctx, k, h, "modaliteExecution", v)
            }
            Field::IdAccordCadre => c.framework_id = kept(ctx, k, v),
            Field::MarcheInnovant => c.innovative = boolean(ctx, k, v),
            Field::Ccag => c.ccag = kept_once(ctx, k, h, v),
            Field::OffresRecues => c.offers_received = integer(ctx, k, v),
            Field::Montant => match money(ctx, k, v, &mut outlier) {
                Money::Ok(a) => c.amount = Some(a),
                Money::Unrepresentable => {
                    c.extra.insert(k.to_string(), minify(v.0));
                }
                Money::Missing => {}
            },
            Field::DureeMois => c.duration_months = integer(ctx, k, v),
            Field::DateNotification => c.notification_date = date(ctx, k, v),
            Field::DatePublicationDonnees => c.publication_date = date(ctx, k, v),
            Field::FormePrix => c.price_form = kept_once(ctx, k, h, v),
            Field::TypesPrix => c.price_types = list_once(ctx, k, h, "typePrix", v),
            Field::Titulaires => {
                if ctx.full {
                    c.holders = holders(ctx, k, "titulaires.id", "titulaire", v).unwrap_or_default()
                } else {
                    // Holder lists vary from record to record: validated without memo (a
                    // memo would only churn), not kept.
                    let _ = h;
                    holders(ctx, k, "titulaires.id", "titulaire", v);
                }
            }
            Field::ConsiderationsSociales => {
                c.social = considerations_field(ctx, k, h, Dimension::Social, v)
            }
            Field::ConsiderationsEnvironnementales => {
                c.environmental = considerations_field(ctx, k, h, Dimension::Environmental, v)
            }
            Field::Modifications => c.modifications = modifications(ctx, v, false),
            _ => {
                if ctx.full {
                    c.extra
                        .insert(members.key(it.member).into_owned(), minify(v.0));
                }
            }
        }
    }
    c.outlier = outlier;
    // A criterion consideration proves that price was not the only award criterion.
    if [&c.social, &c.environmental].into_iter().any(|cs| {
        cs.as_ref().is_some_and(|cs| {
            cs.iter()
                .any(|x| x.instrument == crate::vocabulary::dimension::Instrument::AwardCriterion)
        })
    }) {
        c.price_only = Some(false);
    }
    if !has_id {
        ctx.warn("id", "", "missing id; kept with an empty id");
    }
    for (field, missing) in [
        ("considerationsSociales", c.social.is_none()),
        ("considerationsEnvironnementales", c.environmental.is_none()),
    ] {
        if missing
            && !members.iter().any(|it| it.field.name() == field)
            && ctx.format == Format::V2024
        {
            ctx.warn(field, "", "missing; considerations counted as unknown");
        }
    }
    if c.notification_date.is_none() {
        return Err(ctx.reject(no_usable("dateNotification", date_raw)));
    }
    // An amount beyond the representable range is kept raw (flagged outlier), not rejected.
    if c.current_amount().is_none() && !(c.outlier && c.extra.contains_key("montant")) {
        return Err(ctx.reject(no_usable("montant", montant_raw)));
    }
    Ok(())
}

fn concession(ctx: &mut Ctx, members: &Fields<'_>, c: &mut Concession) -> Result<(), Rejection> {
    c.reset();
    let mut outlier = false;
    let mut has_id = false;
    let mut extra = std::mem::take(&mut c.extra);
    let skip = repeated_keys(ctx, members);
    let (mut value_raw, mut date_raw) = (None, None);
    for (i, it) in members.iter().enumerate() {
        if !skip.is_empty() && skip.contains(&i) {
            continue;
        }
        let (k, v, h) = (it.field.name(), it.value, it.hash);
        match it.field {
            Field::ValeurGlobale => value_raw = Some(v.0),
            Field::DateSignature => date_raw = Some(v.0),
            _ => {}
        }
        if v.is_non_finite() && it.field != Field::ValeurGlobale {
            let k = members.key(it.member);
            non_finite(ctx, &k, v);
            continue;
        }
        match it.field {
            Field::Id => {
                has_id = true;
                c.id.clear();
                if let Some(t) = text(ctx, k, v) {
                    c.id.push_str(&t);
                }
            }
            Field::Type => {}
            Field::AutoriteConcedante => {
                c.authority = memoised(
                    ctx,
                    k,
                    h,
                    |m| &mut m.identifiers,
                    |ctx| buyer(ctx, k, "autoriteConcedante.id", v),
                )
            }
            Field::Nature => c.nature = kept_once(ctx, k, h, v),
            Field::Objet => c.object = kept(ctx, k, v),
            Field::Procedure => {
                c.procedure = memoised(
                    ctx,
                    k,
                    h,
                    |m| &mut m.procedures,
                    |ctx| procedure(ctx, k, v, true),
                )
            }
            Field::DureeMois => c.duration_months = integer(ctx, k, v),
            Field::DateSignature => c.signature_date = date(ctx, k, v),
            Field::DatePublicationDonnees => c.publication_date = date(ctx, k, v),
            Field::DateDebutExecution => c.start_date = date(ctx, k, v),
            Field::ValeurGlobale => match money(ctx, k, v, &mut outlier) {
                Money::Ok(a) => c.value = Some(a),
                Money::Unrepresentable => {
                    extra.insert(k.to_string(), minify(v.0));
                }
                Money::Missing => {}
            },
            Field::MontantSubventionPublique => {
                let mut o = false;
                match money(ctx, k, v, &mut o) {
                    Money::Ok(a) => c.public_subsidy = Some(a),
                    Money::Unrepresentable => {
                        extra.insert(k.to_string(), minify(v.0));
                    }
                    Money::Missing => {}
                }
            }
            Field::Concessionnaires => {
                c.holders =
                    holders(ctx, k, "concessionnaires.id", "concessionnaire", v).unwrap_or_default()
            }
            Field::ConsiderationsSociales => {
                c.social = considerations_field(ctx, k, h, Dimension::Social, v)
            }
            Field::ConsiderationsEnvironnementales => {
                c.environmental = considerations_field(ctx, k, h, Dimension::Environmental, v)
            }
            Field::Modifications => c.modifications = modifications(ctx, v, true),
            _ => {
                if ctx.full {
                    extra.insert(members.key(it.member).into_owned(), minify(v.0));
                }
            }
        }
    }
    c.extra = extra;
    c.outlier = outlier;
    if !has_id {
        ctx.warn("id", "", "missing id; kept with an empty id");
    }
    if c.signature_date.is_none() {
        return Err(ctx.reject(no_usable("dateSignature", date_raw)));
    }
    if c.current_value().is_none() && !(c.outlier && c.extra.contains_key("valeurGlobale")) {
        return Err(ctx.reject(no_usable("valeurGlobale", value_raw)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decp::json::Scanner;

    /// The members of `text`'s top-level object, with their fields resolved as the reader does.
    fn fields(text: &str) -> Vec<Field> {
        let mut members = Vec::new();
        Scanner { b: text.as_bytes() }
            .value(0, 0, Some(&mut members))
            .unwrap();
        resolve_fields(&mut members, text.as_bytes());
        members.iter().map(|m| Field::from_u8(m.field)).collect()
    }

    #[test]
    fn same_bytes_finds_a_difference_at_every_position_and_length() {
        for n in 0..40usize {
            let a: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(same_bytes(&a, &a.clone()), "{n}");
            for at in 0..n {
                let mut b = a.clone();
                b[at] ^= 0x20;
                assert!(!same_bytes(&a, &b), "{n} {at}");
            }
            assert!(!same_bytes(&a, &a[..n.saturating_sub(1)]) || n == 0);
        }
    }

    #[test]
    fn same_bytes_is_slice_equality() {
        let words = [
            "",
            "a",
            "ab",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "abcdefghijklmnopq",
        ];
        for a in words {
            for b in words {
                assert_eq!(same_bytes(a.as_bytes(), b.as_bytes()), a == b);
            }
            let mut c = a.as_bytes().to_vec();
            if let Some(last) = c.last_mut() {
                *last ^= 1;
                assert!(!same_bytes(a.as_bytes(), &c));
                c[0] ^= 2;
                assert!(!same_bytes(a.as_bytes(), &c));
            }
        }
    }

    #[test]
    fn every_known_key_resolves_to_its_field_and_others_do_not() {
        for (i, &(f, k)) in FIELDS.iter().enumerate() {
            assert_eq!(f as usize, i + 1, "FIELDS is in the order of the enum");
            assert_eq!(Field::from_u8(f as u8), f);
            assert_eq!(f.name(), k);
            assert_eq!(fields(&format!("{{\"{k}\":1}} ")), [f], "{k}");
        }
        // Near misses, other case, a prefix, an escaped key (resolved after unescaping).
        assert_eq!(
            fields(r#"{"Id":1,"montants":2,"montan":3,"uid":4,"":5} "#),
            [Field::Other; 5]
        );
        assert_eq!(
            fields(r#"{"mont\u0061nt":1,"\u0069d":2} "#),
            [Field::Montant, Field::Id]
        );
        assert_eq!(Field::from_u8(0), Field::Other);
        assert_eq!(Field::from_u8(200), Field::Other);
        assert_eq!(Field::Other.name(), "");
    }
}
