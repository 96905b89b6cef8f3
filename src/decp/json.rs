//! A small borrowed JSON scanner: validates one value, finds its end, hashes its content
//! canonically (object key order and whitespace aside) and lists the members of a record.
//!
//! Working on byte slices lets the reader parse records straight from its buffer, without
//! serde_json's byte-by-byte `IoRead` and without allocating for the fields it does not keep.

use crate::util::hash::{K1, K2, K3, hash_bytes, mix, read8};
use std::borrow::Cow;

/// Why a scan stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScanError {
    /// The value runs past the end of the bytes available (read more, or the input is truncated).
    Incomplete,
    /// The bytes are not JSON: offset of the offending byte and what was expected.
    Syntax(usize, &'static str),
}

/// Seed of the hash of object keys ([`Member::key_hash`]).
pub(crate) const KEY_SEED: u64 = 0x4b45;

/// Maximum nesting depth of arrays and objects inside one value.
pub(crate) const MAX_DEPTH: u32 = 128;

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// High bits flagging the zero bytes of `w`: the lowest flag is exact (a zero byte), higher
/// flags may be false positives (borrows).
#[inline]
fn zero_mask(w: u64) -> u64 {
    w.wrapping_sub(LO) & !w & HI
}

/// High bits flagging the bytes of `w` that are '"', '\\' or below 0x20: zero when there is
/// none, and the lowest flag is exactly the first such byte (little-endian order).
#[inline]
fn special_mask(w: u64) -> u64 {
    zero_mask(w ^ (LO * u64::from(b'"')))
        | zero_mask(w ^ (LO * u64::from(b'\\')))
        | (w.wrapping_sub(LO * 0x20) & !w & HI)
}

/// A top-level member of an object: spans (start, end) of the raw key (without quotes) and
/// of the raw value, relative to the scanned bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Member {
    pub key: (usize, usize),
    pub value: (usize, usize),
    /// Content hash of the value.
    pub hash: u64,
    /// Whether the key has an escape (then it must be unescaped).
    pub key_escaped: bool,
    /// Hash of the raw key bytes (as used in the content hash).
    pub key_hash: u64,
    /// The field the key names, when the reader knows it (filled by the DECP reader; 0:
    /// not resolved or unknown).
    pub field: u8,
}

/// Scans JSON values in `b`.
pub(crate) struct Scanner<'a> {
    pub b: &'a [u8],
}

#[inline]
pub(crate) fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\n' | b'\r' | b'\t') {
        i += 1;
    }
    i
}

impl<'a> Scanner<'a> {
    /// Scans the value starting at `i` (after whitespace): returns its end and content hash.
    /// When `members` is given and the value is an object, its members are pushed there.
    pub fn value(
        &self,
        i: usize,
        depth: u32,
        members: Option<&mut Vec<Member>>,
    ) -> Result<(usize, u64), ScanError> {
        let b = self.b;
        let i = skip_ws(b, i);
        let Some(&c) = b.get(i) else {
            return Err(ScanError::Incomplete);
        };
        match c {
            b'"' => {
                let end = self.string(i)?;
                Ok((end, hash_bytes(&b[i + 1..end - 1], 0x5354)))
            }
            b'{' => self.object(i, depth, members),
            b'[' => self.array(i, depth),
            b't' => self.literal(i, b"true", 0x7472),
            b'f' => self.literal(i, b"false", 0x6661),
            b'n' => self.literal(i, b"null", 0x6e75),
            // Not JSON, but pandas writes them and Python's `json` reads them: the non-finite
            // numbers are values here (the DECP reader reads them as null, with a warning).
            b'N' => self.literal(i, b"NaN", 0x4e61),
            b'I' => self.literal(i, b"Infinity", 0x496e),
            b'-' if b.get(i + 1) == Some(&b'I') => self.literal(i, b"-Infinity", 0x2d49),
            b'-' | b'0'..=b'9' => {
                let end = self.number(i)?;
                Ok((end, hash_bytes(&b[i..end], 0x4e55)))
            }
            _ => Err(ScanError::Syntax(i, "a JSON value")),
        }
    }

    fn literal(&self, i: usize, word: &[u8], tag: u64) -> Result<(usize, u64), ScanError> {
        let end = i + word.len();
        if end > self.b.len() {
            if word.starts_with(&self.b[i..]) {
                return Err(ScanError::Incomplete);
            }
            return Err(ScanError::Syntax(i, "a JSON value"));
        }
        if &self.b[i..end] != word {
            return Err(ScanError::Syntax(i, "a JSON value"));
        }
        Ok((end, mix(tag, K3)))
    }

    /// `i` is at the opening quote; returns the index after the closing quote.
    pub fn string(&self, i: usize) -> Result<usize, ScanError> {
        self.string_escaped(i).map(|(end, _)| end)
    }

    /// As [`Scanner::string`], also telling whether the string has an escape.
    pub fn string_escaped(&self, i: usize) -> Result<(usize, bool), ScanError> {
        let b = self.b;
        let mut escaped = false;
        let mut j = i + 1;
        loop {
            // Fast path: 8 bytes at a time; the lowest flagged byte of the mask is exactly the
            // first '"', '\\' or control byte of the word (later flags may be false positives).
            while j + 8 <= b.len() {
                let m = special_mask(read8(b, j));
                if m != 0 {
                    j += (m.trailing_zeros() / 8) as usize;
                    break;
                }
                j += 8;
            }
            let Some(&c) = b.get(j) else {
                return Err(ScanError::Incomplete);
            };
            match c {
                b'"' => return Ok((j + 1, escaped)),
                b'\\' => {
                    escaped = true;
                    let Some(&e) = b.get(j + 1) else {
                        return Err(ScanError::Incomplete);
                    };
                    match e {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => j += 2,
                        b'u' => {
                            for k in 0..4 {
                                match b.get(j + 2 + k) {
                                    None => return Err(ScanError::Incomplete),
                                    Some(h) if h.is_ascii_hexdigit() => {}
                                    Some(_) => {
                                        return Err(ScanError::Syntax(
                                            j + 2 + k,
                                            "four hex digits after \\u",
                                        ));
                                    }
                                }
                            }
                            j += 6;
                        }
                        _ => return Err(ScanError::Syntax(j + 1, "a valid escape")),
                    }
                }
                0..=0x1f => return Err(ScanError::Syntax(j, "no control character in a string")),
                _ => j += 1,
            }
        }
    }

    fn digits(&self, mut j: usize) -> Result<usize, ScanError> {
        let b = self.b;
        let start = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j == b.len() {
            return Err(ScanError::Incomplete);
        }
        if j == start {
            return Err(ScanError::Syntax(j, "a digit"));
        }
        Ok(j)
    }

    /// A JSON number; a number touching the end of the bytes is incomplete (more digits may follow).
    fn number(&self, i: usize) -> Result<usize, ScanError> {
        let b = self.b;
        let mut j = i;
        if b[j] == b'-' {
            j += 1;
        }
        match b.get(j) {
            None => return Err(ScanError::Incomplete),
            Some(b'0') => {
                j += 1;
                if j == b.len() {
                    return Err(ScanError::Incomplete);
                }
            }
            Some(c) if c.is_ascii_digit() => j = self.digits(j)?,
            Some(_) => return Err(ScanError::Syntax(j, "a digit")),
        }
        if b[j] == b'.' {
            j = self.digits(j + 1)?;
        }
        if matches!(b[j], b'e' | b'E') {
            j += 1;
            if matches!(b.get(j), Some(b'+' | b'-')) {
                j += 1;
            }
            j = self.digits(j)?;
        }
        Ok(j)
    }

    fn object(
        &self,
        i: usize,
        depth: u32,
        mut members: Option<&mut Vec<Member>>,
    ) -> Result<(usize, u64), ScanError> {
        if depth >= MAX_DEPTH {
            return Err(ScanError::Syntax(i, "nesting no deeper than 128 levels"));
        }
        let b = self.b;
        let mut acc: u64 = 0x4f42;
        let mut j = skip_ws(b, i + 1);
        match b.get(j) {
            None => return Err(ScanError::Incomplete),
            Some(b'}') => return Ok((j + 1, mix(acc, K1))),
            _ => {}
        }
        loop {
            if j >= b.len() {
                return Err(ScanError::Incomplete);
            }
            if b[j] != b'"' {
                return Err(ScanError::Syntax(j, "a quoted key"));
            }
            let (kend, key_escaped) = self.string_escaped(j)?;
            let kh = hash_bytes(&b[j + 1..kend - 1], KEY_SEED);
            let mut k = skip_ws(b, kend);
            match b.get(k) {
                None => return Err(ScanError::Incomplete),
                Some(b':') => k += 1,
                Some(_) => return Err(ScanError::Syntax(k, "':' after a key")),
            }
            let vstart = skip_ws(b, k);
            let (vend, vh) = self.value(vstart, depth + 1, None)?;
            if let Some(m) = members.as_deref_mut() {
                m.push(Member {
                    key: (j + 1, kend - 1),
                    value: (vstart, vend),
                    hash: vh,
                    key_escaped,
                    key_hash: kh,
                    field: 0,
                });
            }
            // Order-independent combination of the members.
            acc = acc.wrapping_add(mix(kh ^ K2, vh ^ K3));
            j = skip_ws(b, vend);
            match b.get(j) {
                None => return Err(ScanError::Incomplete),
                Some(b',') => j = skip_ws(b, j + 1),
                Some(b'}') => return Ok((j + 1, mix(acc, K1))),
                Some(_) => return Err(ScanError::Syntax(j, "',' or '}' in an object")),
            }
        }
    }

    fn array(&self, i: usize, depth: u32) -> Result<(usize, u64), ScanError> {
        if depth >= MAX_DEPTH {
            return Err(ScanError::Syntax(i, "nesting no deeper than 128 levels"));
        }
        let b = self.b;
        let mut h: u64 = 0x4152;
        let mut j = skip_ws(b, i + 1);
        match b.get(j) {
            None => return Err(ScanError::Incomplete),
            Some(b']') => return Ok((j + 1, mix(h, K2))),
            _ => {}
        }
        loop {
            let (vend, vh) = self.value(j, depth + 1, None)?;
            h = mix(h ^ vh, K2);
            j = skip_ws(b, vend);
            match b.get(j) {
                None => return Err(ScanError::Incomplete),
                Some(b',') => j = skip_ws(b, j + 1),
                Some(b']') => return Ok((j + 1, mix(h, K3))),
                Some(_) => return Err(ScanError::Syntax(j, "',' or ']' in an array")),
            }
        }
    }
}

/// High bits flagging the bytes of `w` that are '"' or '\\': zero when there is none, and the
/// lowest flag is exactly the first such byte (little-endian order).
#[inline]
fn quote_mask(w: u64) -> u64 {
    zero_mask(w ^ (LO * u64::from(b'"'))) | zero_mask(w ^ (LO * u64::from(b'\\')))
}

/// The end of the string opening at `i` (index after its closing quote) in text already
/// validated by [`Scanner`]: no validation, no hashing. Returns `b.len()` if the text is
/// not in fact valid (never panics).
#[inline]
fn skip_string(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    loop {
        while j + 8 <= b.len() {
            let m = quote_mask(read8(b, j));
            if m != 0 {
                j += (m.trailing_zeros() / 8) as usize;
                break;
            }
            j += 8;
        }
        match b.get(j) {
            None => return b.len(),
            Some(b'"') => return j + 1,
            // An escape: the next byte is never the closing quote (`\uXXXX`'s hex digits are
            // neither quotes nor backslashes).
            Some(b'\\') => j += 2,
            Some(_) => j += 1,
        }
    }
}

/// The end of the value starting at `i` in text already validated by [`Scanner`] (used to
/// walk nested values without validating or hashing them again). Returns `b.len()` if the
/// text is not in fact valid (never panics).
pub(crate) fn skip_validated(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'"') => skip_string(b, i),
        Some(b'{' | b'[') => {
            let mut depth = 0u32;
            let mut j = i;
            while let Some(&c) = b.get(j) {
                match c {
                    b'"' => {
                        j = skip_string(b, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            b.len()
        }
        Some(b't' | b'n') => (i + 4).min(b.len()),
        Some(b'f') => (i + 5).min(b.len()),
        Some(b'N') => (i + 3).min(b.len()),
        Some(b'I') => (i + 8).min(b.len()),
        Some(b'-') if b.get(i + 1) == Some(&b'I') => (i + 9).min(b.len()),
        Some(_) => {
            let mut j = i + 1;
            while matches!(
                b.get(j),
                Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
            ) {
                j += 1;
            }
            j
        }
        None => b.len(),
    }
}

/// Whether `s` contains a backslash (an inline loop: keys and values are short).
#[inline]
pub(crate) fn has_backslash(s: &str) -> bool {
    s.bytes().any(|b| b == b'\\')
}

/// A validated JSON value, borrowed as text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Raw<'a>(pub &'a str);

impl<'a> Raw<'a> {
    /// The first byte (`"`, `{`, `[`, `t`, `f`, `n`, or a number's first char).
    pub fn first(&self) -> u8 {
        self.0.as_bytes().first().copied().unwrap_or(b'n')
    }

    pub fn is_null(&self) -> bool {
        self.0 == "null"
    }

    /// Whether the value is one of the non-finite number tokens `NaN`, `Infinity`,
    /// `-Infinity` (not JSON; written by pandas, read by Python's `json`).
    pub fn is_non_finite(&self) -> bool {
        matches!(self.0, "NaN" | "Infinity" | "-Infinity")
    }

    /// The string value (unescaped), when the value is a string.
    pub fn as_str(&self) -> Option<Cow<'a, str>> {
        if self.first() != b'"' || self.0.len() < 2 {
            return None;
        }
        let inner = &self.0[1..self.0.len() - 1];
        if !has_backslash(inner) {
            return Some(Cow::Borrowed(inner));
        }
        Some(Cow::Owned(unescape(inner)))
    }

    /// The number text, when the value is a (finite) number.
    pub fn as_number(&self) -> Option<&'a str> {
        (matches!(self.first(), b'-' | b'0'..=b'9') && !self.is_non_finite()).then_some(self.0)
    }

    /// Iterates over the members of an object without allocating: (raw key, value).
    pub fn iter_members(&self) -> Members<'a> {
        let b = self.0.as_bytes();
        let start = if self.first() == b'{' { 1 } else { b.len() };
        Members {
            text: self.0,
            pos: start,
        }
    }

    /// Iterates over the elements of an array without allocating.
    pub fn iter_elements(&self) -> Elements<'a> {
        let b = self.0.as_bytes();
        let start = if self.first() == b'[' { 1 } else { b.len() };
        Elements {
            text: self.0,
            pos: start,
        }
    }

    /// The member `name` of an object (the first one when repeated: the reader's rule for
    /// duplicate keys, see the DECP module's documentation).
    pub fn get(&self, name: &str) -> Option<Raw<'a>> {
        self.iter_members().find_map(|(k, v)| {
            let same = if has_backslash(k) {
                unescape(k) == name
            } else {
                k == name
            };
            same.then_some(v)
        })
    }
}

/// Members of a validated object: (raw key without quotes, value).
pub(crate) struct Members<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, Raw<'a>);

    fn next(&mut self) -> Option<(&'a str, Raw<'a>)> {
        let b = self.text.as_bytes();
        let j = skip_ws(b, self.pos);
        if b.get(j) != Some(&b'"') {
            self.pos = b.len();
            return None;
        }
        let kend = skip_string(b, j);
        let mut k = skip_ws(b, kend);
        if b.get(k) != Some(&b':') {
            self.pos = b.len();
            return None;
        }
        k = skip_ws(b, k + 1);
        if k >= b.len() {
            self.pos = b.len();
            return None;
        }
        let vend = skip_validated(b, k);
        let after = skip_ws(b, vend);
        self.pos = if b.get(after) == Some(&b',') {
            after + 1
        } else {
            b.len()
        };
        // Slicing with `get`: never panics, even on text that is not in fact valid.
        Some((
            self.text.get(j + 1..kend - 1)?,
            Raw(self.text.get(k..vend)?),
        ))
    }
}

/// Elements of a validated array.
pub(crate) struct Elements<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for Elements<'a> {
    type Item = Raw<'a>;

    fn next(&mut self) -> Option<Raw<'a>> {
        let b = self.text.as_bytes();
        let j = skip_ws(b, self.pos);
        if j >= b.len() || b[j] == b']' {
            self.pos = b.len();
            return None;
        }
        let end = skip_validated(b, j);
        let after = skip_ws(b, end);
        self.pos = if b.get(after) == Some(&b',') {
            after + 1
        } else {
            b.len()
        };
        Some(Raw(self.text.get(j..end)?))
    }
}

/// Unescapes the inside of a validated JSON string (lone surrogates become U+FFFD).
pub(crate) fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.char_indices();
    let b = s.as_bytes();
    let hex = |at: usize| -> Option<u32> {
        s.get(at..at + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else { break };
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'u' => {
                let Some(u) = hex(i + 2) else { break };
                for _ in 0..4 {
                    chars.next();
                }
                let mut code = u;
                if (0xD800..0xDC00).contains(&u)
                    && b.get(i + 6) == Some(&b'\\')
                    && b.get(i + 7) == Some(&b'u')
                {
                    if let Some(lo) = hex(i + 8).filter(|lo| (0xDC00..0xE000).contains(lo)) {
                        code = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                        for _ in 0..6 {
                            chars.next();
                        }
                    }
                }
                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            other => out.push(other),
        }
    }
    out
}

/// Writes `s` as a JSON string literal.
pub(crate) fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(s: &str) -> u64 {
        Scanner { b: s.as_bytes() }
            .value(0, 0, None)
            .map(|x| x.1)
            .unwrap()
    }

    #[test]
    fn content_hash_ignores_key_order_and_whitespace() {
        assert_eq!(
            hash(r#"{"a":1,"b":[1,2]} "#),
            hash(r#"{ "b" : [1, 2], "a":1} "#)
        );
        assert_ne!(hash(r#"{"a":1,"b":[1,2]} "#), hash(r#"{"a":1,"b":[2,1]} "#));
        assert_ne!(hash(r#"{"a":"1"} "#), hash(r#"{"a":1} "#));
    }

    #[test]
    fn truncated_values_are_incomplete_and_garbage_is_a_syntax_error() {
        let s = |t: &str| Scanner { b: t.as_bytes() }.value(0, 0, None).map(|x| x.0);
        assert_eq!(s(r#"{"a":12"#), Err(ScanError::Incomplete));
        assert_eq!(s("12"), Err(ScanError::Incomplete));
        assert_eq!(s("tru"), Err(ScanError::Incomplete));
        assert_eq!(s("12 "), Ok(2));
        assert!(matches!(s(r#"{"a" 1}"#), Err(ScanError::Syntax(5, _))));
        assert!(matches!(s("[1,]"), Err(ScanError::Syntax(3, _))));
        assert!(matches!(s("01 "), Ok(1)));
    }

    #[test]
    fn string_end_is_found_at_every_offset_within_a_word() {
        // The word-at-a-time scan must stop at the first quote, backslash or control byte
        // whatever its position in the 8-byte word, and not at bytes >= 0x80.
        for pad in 0..20 {
            let body = "é".repeat(pad / 2) + &"a".repeat(pad % 2);
            let t = format!("\"{body}\\\"x\" ");
            let end = Scanner { b: t.as_bytes() }.string_escaped(0);
            assert_eq!(end, Ok((t.len() - 1, true)), "{t}");
            let t = format!("\"{body}\"{body}\" ");
            assert_eq!(
                Scanner { b: t.as_bytes() }.string_escaped(0),
                Ok((body.len() + 2, false))
            );
            let t = format!("\"{body}\u{1}\" ");
            assert_eq!(
                Scanner { b: t.as_bytes() }.string_escaped(0),
                Err(ScanError::Syntax(
                    body.len() + 1,
                    "no control character in a string"
                ))
            );
            let t = format!("\"{body}");
            assert_eq!(
                Scanner { b: t.as_bytes() }.string_escaped(0),
                Err(ScanError::Incomplete)
            );
        }
    }

    #[test]
    fn skipping_validated_text_finds_the_scanner_ends() {
        let values = [
            r#""a\"b\\" "#,
            r#""é\u00e9x" "#,
            r#"{"a":[1,{"b":"]}"}],"c":-1.5e+3} "#,
            r#"[[],{},"[",true,false,null] "#,
            "-12.5E-3 ",
            "true ",
            "null ",
            "false ",
            r#"{"k\"":"v\\"} "#,
        ];
        for t in values {
            let (end, _) = Scanner { b: t.as_bytes() }.value(0, 0, None).unwrap();
            assert_eq!(skip_validated(t.as_bytes(), 0), end, "{t}");
        }
        // Text that is not in fact valid: no panic, an end within the bytes.
        for t in ["\"abc", "{\"a\":[", "tr", "", r#"["\"] "#] {
            assert!(skip_validated(t.as_bytes(), 0) <= t.len());
            let _ = Raw(t).iter_members().count();
            let _ = Raw(t).iter_elements().count();
        }
        let _ = Raw("{\"a\":té}").iter_members().count();
        let _ = Raw("[téé]").iter_elements().count();
        let _ = Raw("{\"a\":téé}").iter_members().count();
    }

    #[test]
    fn unescape_handles_surrogate_pairs() {
        assert_eq!(unescape(r"a\u00e9\ud83d\ude00\n"), "aé😀\n");
        assert_eq!(unescape(r"\ud800x"), "\u{FFFD}x");
    }
}
