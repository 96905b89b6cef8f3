//! The text (`BYTE_ARRAY`) columns of a consolidated Parquet file decoded page by page into one
//! buffer per column chunk, each value a span of it (feature `parquet`).
//!
//! The `parquet` crate's column reader hands each value over as a reference-counted slice of
//! its page: two atomic operations per value (its copy and its drop), about 7 % of the time of
//! a read of every buyer's contracts, and dictionary entries copied value by value. Here a
//! chunk's dictionary and plain pages are copied once into one buffer and each row's value is a
//! span of it: a dictionary-encoded value is the span of its entry.
//!
//! Only the encodings decp-processing's files (polars) use are decoded here: `PLAIN` and
//! dictionary (`PLAIN_DICTIONARY`, `RLE_DICTIONARY`) values, definition levels in `RLE`
//! (the RLE/bit-packed hybrid), data pages of version 1 and 2, no repetition. A chunk whose
//! metadata lists any other encoding is read by the crate's column reader
//! ([`decodable`] tells which).

use parquet::basic::Encoding;
use parquet::column::page::{Page, PageReader};

/// The values of one text column chunk: row `i`'s (non-null) value is
/// `data[spans[k].0 as usize..spans[k].1 as usize]` for its rank `k` among non-null values.
#[derive(Debug, Default)]
pub(crate) struct TextColumn {
    pub data: Vec<u8>,
    pub spans: Vec<(u32, u32)>,
}

impl TextColumn {
    /// The `k`-th non-null value.
    pub fn get(&self, k: usize) -> Option<&[u8]> {
        let &(a, b) = self.spans.get(k)?;
        self.data.get(a as usize..b as usize)
    }

    /// Number of non-null values.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Emptied, its buffers kept.
    pub fn clear(&mut self) {
        self.data.clear();
        self.spans.clear();
    }
}

/// Whether a chunk with these encodings and levels can be decoded here.
pub(crate) fn decodable(encodings: impl Iterator<Item = Encoding>, max_rep: i16) -> bool {
    max_rep == 0
        && encodings.into_iter().all(|e| {
            matches!(
                e,
                Encoding::PLAIN
                    | Encoding::RLE
                    | Encoding::PLAIN_DICTIONARY
                    | Encoding::RLE_DICTIONARY
            )
        })
}

/// The number of bits of the levels up to `max` (0 for 0).
fn bit_width(max: i16) -> u32 {
    16 - (max.max(0) as u16).leading_zeros()
}

/// An unsigned LEB128 integer at `*pos` (at most 32 bits).
fn uleb(buf: &[u8], pos: &mut usize) -> Result<u32, String> {
    let mut v: u64 = 0;
    for shift in (0..35).step_by(7) {
        let b = *buf
            .get(*pos)
            .ok_or("a run header runs past the end of its page")?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return u32::try_from(v).map_err(|_| "a run header is beyond 32 bits".to_string());
        }
    }
    Err("a run header is longer than 5 bytes".to_string())
}

/// Decodes `n` values of `width` bits (at most 32) in the RLE/bit-packed hybrid encoding from
/// `buf`, calling `each` with every value; the bytes after the last run are ignored.
fn hybrid(buf: &[u8], width: u32, n: usize, mut each: impl FnMut(u32)) -> Result<(), String> {
    if width > 32 {
        return Err(format!("a bit width of {width} (at most 32)"));
    }
    let mask: u64 = if width == 32 {
        u64::from(u32::MAX)
    } else {
        (1u64 << width) - 1
    };
    let value_bytes = width.div_ceil(8) as usize;
    let mut pos = 0;
    let mut left = n;
    while left > 0 {
        let header = uleb(buf, &mut pos)?;
        if header & 1 == 0 {
            // a run of one value repeated
            let count = (header >> 1) as usize;
            if count == 0 {
                return Err("an empty repeated run".to_string());
            }
            let bytes = buf
                .get(pos..pos + value_bytes)
                .ok_or("a repeated run's value runs past the end of its page")?;
            pos += value_bytes;
            let mut v = 0u32;
            for (i, &b) in bytes.iter().enumerate() {
                v |= u32::from(b) << (8 * i);
            }
            let take = count.min(left);
            for _ in 0..take {
                each(v);
            }
            left -= take;
        } else {
            // groups of 8 values packed least significant bit first
            let groups = (header >> 1) as usize;
            if groups == 0 {
                return Err("an empty bit-packed run".to_string());
            }
            let len = groups * width as usize;
            let packed = buf
                .get(pos..pos + len)
                .ok_or("a bit-packed run runs past the end of its page")?;
            pos += len;
            let take = (groups * 8).min(left);
            if width == 0 {
                for _ in 0..take {
                    each(0);
                }
            } else {
                for j in 0..take {
                    let bit = j * width as usize;
                    let at = bit / 8;
                    let mut word = [0u8; 8];
                    let avail = packed.len().saturating_sub(at).min(8);
                    word[..avail].copy_from_slice(&packed[at..at + avail]);
                    let w = u64::from_le_bytes(word) >> (bit % 8);
                    each((w & mask) as u32);
                }
            }
            left -= take;
        }
    }
    Ok(())
}

/// The byte arrays of a `PLAIN` section (a 4-byte little-endian length before each), `n`
/// of them: copied into `out.data`, their spans pushed on `spans`.
fn plain(
    section: &[u8],
    n: usize,
    data: &mut Vec<u8>,
    spans: &mut Vec<(u32, u32)>,
) -> Result<(), String> {
    let base = data.len();
    let base32 =
        u32::try_from(base).map_err(|_| "a column chunk beyond 4 GiB of text".to_string())?;
    let mut pos = 0usize;
    let mut found = 0usize;
    // only the part of the section the values take is copied
    while found < n {
        let len = section
            .get(pos..pos + 4)
            .ok_or_else(|| format!("value {found} of {n} runs past the end of its page"))?;
        let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
        let start = pos + 4;
        if section.len() - start < len {
            return Err(format!(
                "value {found} of {n} ({len} bytes) runs past the end of its page"
            ));
        }
        pos = start + len;
        found += 1;
    }
    if u32::try_from(base + pos).is_err() {
        return Err("a column chunk beyond 4 GiB of text".to_string());
    }
    data.extend_from_slice(&section[..pos]);
    let mut p = 0usize;
    for _ in 0..n {
        let at = base + p;
        let bytes = &data[at..at + 4];
        let len = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        let start = base32 + p as u32 + 4;
        spans.push((start, start + len));
        p += 4 + len as usize;
    }
    Ok(())
}

/// Decodes every page of a text column chunk of `rows` rows: the definition levels (when
/// `max_def > 0`) into `defs`, the non-null values into `out`. An error says what in the
/// chunk cannot be decoded.
pub(crate) fn decode_chunk(
    pages: &mut dyn PageReader,
    max_def: i16,
    defs: &mut Vec<i16>,
    out: &mut TextColumn,
) -> Result<(), String> {
    let width = bit_width(max_def);
    let mut dict: Vec<(u32, u32)> = Vec::new();
    while let Some(page) = pages.get_next_page().map_err(|e| e.to_string())? {
        // the page's bytes, its levels (rows), the values' encoding, where its definition
        // levels are (offset, length) and where its values start
        let (buf, levels, encoding, def_section, values_at) = match &page {
            Page::DictionaryPage {
                buf,
                num_values,
                encoding,
                ..
            } => {
                if !matches!(*encoding, Encoding::PLAIN | Encoding::PLAIN_DICTIONARY) {
                    return Err(format!("a dictionary page in {encoding}"));
                }
                dict.clear();
                plain(buf, *num_values as usize, &mut out.data, &mut dict)?;
                continue;
            }
            Page::DataPage {
                buf,
                num_values,
                encoding,
                def_level_encoding,
                ..
            } => {
                if max_def == 0 {
                    (&buf[..], *num_values as usize, *encoding, None, 0)
                } else {
                    if *def_level_encoding != Encoding::RLE {
                        return Err(format!("definition levels in {def_level_encoding}"));
                    }
                    // version 1: the levels' length in 4 bytes before them
                    let len = buf
                        .get(..4)
                        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
                        .ok_or("a data page shorter than its levels' length")?;
                    (
                        &buf[..],
                        *num_values as usize,
                        *encoding,
                        Some((4, len)),
                        4 + len,
                    )
                }
            }
            Page::DataPageV2 {
                buf,
                num_values,
                encoding,
                def_levels_byte_len,
                rep_levels_byte_len,
                ..
            } => {
                let rep = *rep_levels_byte_len as usize;
                let def = *def_levels_byte_len as usize;
                let section = (max_def > 0).then_some((rep, def));
                (
                    &buf[..],
                    *num_values as usize,
                    *encoding,
                    section,
                    rep + def,
                )
            }
        };
        if let Some((at, len)) = def_section {
            let section = buf
                .get(at..at.saturating_add(len))
                .ok_or("the definition levels run past the end of their page")?;
            let before = defs.len();
            defs.reserve(levels);
            hybrid(section, width, levels, |v| defs.push(v as i16))?;
            if defs.len() - before != levels {
                return Err("fewer definition levels than the page's values".to_string());
            }
        }
        let present = if max_def > 0 {
            defs[defs.len() - levels..]
                .iter()
                .filter(|&&d| d == max_def)
                .count()
        } else {
            levels
        };
        let values = buf
            .get(values_at..)
            .ok_or("the values start past the end of their page")?;
        match encoding {
            Encoding::PLAIN => plain(values, present, &mut out.data, &mut out.spans)?,
            Encoding::PLAIN_DICTIONARY | Encoding::RLE_DICTIONARY => {
                if present == 0 {
                    continue;
                }
                let (&w, indices) = values
                    .split_first()
                    .ok_or("a dictionary-encoded page without its indices' bit width")?;
                let mut bad = None;
                let spans = &mut out.spans;
                spans.reserve(present);
                hybrid(indices, u32::from(w), present, |i| {
                    match dict.get(i as usize) {
                        Some(&s) => spans.push(s),
                        None => {
                            bad.get_or_insert(i);
                            spans.push((0, 0));
                        }
                    }
                })?;
                if let Some(i) = bad {
                    return Err(format!(
                        "a dictionary index {i} beyond the dictionary's {} values",
                        dict.len()
                    ));
                }
            }
            e => return Err(format!("values in {e}")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hybrid encoding of `values` as one bit-packed run (padded to groups of 8).
    fn packed(values: &[u32], width: u32) -> Vec<u8> {
        let groups = values.len().div_ceil(8);
        let mut out = vec![(groups as u8) << 1 | 1];
        let mut bits = vec![0u8; groups * width as usize];
        for (j, &v) in values.iter().enumerate() {
            for b in 0..width as usize {
                if v >> b & 1 == 1 {
                    let at = j * width as usize + b;
                    bits[at / 8] |= 1 << (at % 8);
                }
            }
        }
        out.extend(bits);
        out
    }

    #[test]
    fn hybrid_runs_decode() {
        for width in [1, 2, 3, 5, 8, 13, 17, 31, 32] {
            let max = if width == 32 {
                u32::MAX
            } else {
                (1u32 << width) - 1
            };
            let values: Vec<u32> = (0..24u32)
                .map(|i| (i.wrapping_mul(2_654_435_761)) & max)
                .collect();
            let mut buf = packed(&values, width);
            // then a repeated run of 300 times the largest value
            let mut h = 300u32 << 1;
            while h >= 0x80 {
                buf.push((h as u8) | 0x80);
                h >>= 7;
            }
            buf.push(h as u8);
            buf.extend(&max.to_le_bytes()[..width.div_ceil(8) as usize]);
            let mut got = Vec::new();
            hybrid(&buf, width, 324, |v| got.push(v)).unwrap();
            let mut want = values.clone();
            want.extend(std::iter::repeat_n(max, 300));
            assert_eq!(got, want, "width {width}");
            // asking for more values than the runs hold is an error, never a panic
            assert!(hybrid(&buf, width, 400, |_| ()).is_err());
            // a bit-packed run is padded to groups of 8: fewer values taken than it holds
            let mut few = Vec::new();
            hybrid(&packed(&values[..21], width), width, 21, |v| few.push(v)).unwrap();
            assert_eq!(few, values[..21]);
        }
    }

    #[test]
    fn truncated_plain_values_are_errors() {
        let mut section = Vec::new();
        for v in ["a", "", "ccc"] {
            section.extend((v.len() as u32).to_le_bytes());
            section.extend(v.as_bytes());
        }
        let mut data = b"xy".to_vec();
        let mut spans = Vec::new();
        plain(&section, 3, &mut data, &mut spans).unwrap();
        let got: Vec<&[u8]> = spans
            .iter()
            .map(|&(a, b)| &data[a as usize..b as usize])
            .collect();
        assert_eq!(got, [&b"a"[..], b"", b"ccc"]);
        for cut in 0..section.len() {
            let (mut d, mut s) = (Vec::new(), Vec::new());
            assert!(
                plain(&section[..cut], 3, &mut d, &mut s).is_err(),
                "cut {cut}"
            );
        }
    }

    /// Writes one row group of `rows` (an optional and a required text column; `None` is
    /// null) with the given writer settings, and reads each column both ways: the crate's
    /// column reader and [`decode_chunk`] must give the same levels and values.
    fn same_as_the_crate(
        rows: &[(Option<String>, String)],
        v2: bool,
        dictionary: bool,
        dict_limit: usize,
        page_rows: usize,
        delta: bool,
    ) {
        use parquet::basic::Compression;
        use parquet::column::reader::ColumnReader;
        use parquet::data_type::{ByteArray, ByteArrayType};
        use parquet::file::properties::{WriterProperties, WriterVersion};
        use parquet::file::reader::{FileReader, SerializedFileReader};
        use parquet::file::writer::SerializedFileWriter;
        use std::sync::Arc;
        let schema = Arc::new(
            parquet::schema::parser::parse_message_type(
                "message m { optional binary a (STRING); required binary b (STRING); }",
            )
            .unwrap(),
        );
        let mut props = WriterProperties::builder()
            .set_writer_version(if v2 {
                WriterVersion::PARQUET_2_0
            } else {
                WriterVersion::PARQUET_1_0
            })
            .set_dictionary_enabled(dictionary)
            .set_dictionary_page_size_limit(dict_limit)
            .set_data_page_row_count_limit(page_rows)
            .set_write_batch_size(page_rows)
            .set_compression(Compression::ZSTD(Default::default()));
        // (a version 2 writer would otherwise write text without dictionary in DELTA_BYTE_ARRAY)
        props = props.set_encoding(if delta {
            Encoding::DELTA_BYTE_ARRAY
        } else {
            Encoding::PLAIN
        });
        let mut file = Vec::new();
        let mut w = SerializedFileWriter::new(&mut file, schema, Arc::new(props.build())).unwrap();
        let mut g = w.next_row_group().unwrap();
        let a: Vec<ByteArray> = rows
            .iter()
            .filter_map(|r| r.0.as_deref())
            .map(ByteArray::from)
            .collect();
        let a_defs: Vec<i16> = rows.iter().map(|r| i16::from(r.0.is_some())).collect();
        let b: Vec<ByteArray> = rows.iter().map(|r| ByteArray::from(r.1.as_str())).collect();
        for (values, defs) in [(&a, Some(&a_defs[..])), (&b, None)] {
            let mut c = g.next_column().unwrap().unwrap();
            c.typed::<ByteArrayType>()
                .write_batch(values, defs, None)
                .unwrap();
            c.close().unwrap();
        }
        g.close().unwrap();
        w.close().unwrap();
        let reader = SerializedFileReader::new(bytes::Bytes::from(file)).unwrap();
        let rg = reader.get_row_group(0).unwrap();
        for (idx, want_values) in [(0, &a), (1, &b)] {
            let desc = reader.metadata().file_metadata().schema_descr().column(idx);
            let chunk = rg.metadata().column(idx);
            let fast = decodable(chunk.encodings(), desc.max_rep_level());
            assert_eq!(
                fast,
                !delta,
                "column {idx}: {:?}",
                chunk.encodings().collect::<Vec<_>>()
            );
            // the crate's reader
            let ColumnReader::ByteArrayColumnReader(mut r) = rg.get_column_reader(idx).unwrap()
            else {
                panic!("not text")
            };
            let (mut defs, mut values) = (Vec::new(), Vec::new());
            let nullable = desc.max_def_level() > 0;
            r.read_records(rows.len(), nullable.then_some(&mut defs), None, &mut values)
                .unwrap();
            assert_eq!(&values, want_values);
            if !fast {
                continue;
            }
            let mut pages = rg.get_column_page_reader(idx).unwrap();
            let (mut got_defs, mut text) = (Vec::new(), TextColumn::default());
            decode_chunk(
                pages.as_mut(),
                desc.max_def_level(),
                &mut got_defs,
                &mut text,
            )
            .unwrap();
            assert_eq!(got_defs, defs, "column {idx}");
            let got: Vec<&[u8]> = (0..text.len()).map(|k| text.get(k).unwrap()).collect();
            let want: Vec<&[u8]> = values.iter().map(ByteArray::data).collect();
            assert_eq!(got, want, "column {idx}, v2 {v2}, dictionary {dictionary}");
        }
    }

    #[test]
    fn pages_decode_as_the_crate_reads_them() {
        // a few repeated values (dictionary) and unique ones (a dictionary outgrowing its
        // limit falls back to plain pages mid-chunk), nulls in runs and alone, empty text
        let rows: Vec<(Option<String>, String)> = (0..2_000u32)
            .map(|i| {
                let a = match i % 7 {
                    0 | 3 => None,
                    1 => Some(String::new()),
                    2 if i > 1_000 => Some(format!("unique value {i} with some length")),
                    _ => Some(
                        ["Clause sociale", "Sans objet", "Critère environnemental"]
                            [(i % 3) as usize]
                            .to_string(),
                    ),
                };
                let a = if (500..700).contains(&i) { None } else { a };
                (a, format!("uid-{}", i / 2))
            })
            .collect();
        for v2 in [false, true] {
            for dictionary in [false, true] {
                for (dict_limit, page_rows) in [(1 << 20, 20_000), (256, 37), (64, 1)] {
                    same_as_the_crate(&rows, v2, dictionary, dict_limit, page_rows, false);
                }
            }
            // an encoding it does not decode: the crate's reader takes the chunk
            same_as_the_crate(&rows, v2, false, 1 << 20, 100, true);
        }
        // nothing but nulls
        let nulls: Vec<(Option<String>, String)> = (0..50).map(|i| (None, i.to_string())).collect();
        same_as_the_crate(&nulls, true, true, 1 << 20, 16, false);
        same_as_the_crate(&nulls, false, true, 1 << 20, 16, false);
    }

    /// Pages handed over one by one, as a file's page reader does.
    struct Pages(std::vec::IntoIter<Page>);

    impl Iterator for Pages {
        type Item = parquet::errors::Result<Page>;
        fn next(&mut self) -> Option<Self::Item> {
            self.0.next().map(Ok)
        }
    }

    impl PageReader for Pages {
        fn get_next_page(&mut self) -> parquet::errors::Result<Option<Page>> {
            Ok(self.0.next())
        }
        fn peek_next_page(
            &mut self,
        ) -> parquet::errors::Result<Option<parquet::column::page::PageMetadata>> {
            Ok(None)
        }
        fn skip_next_page(&mut self) -> parquet::errors::Result<()> {
            self.0.next();
            Ok(())
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_pages_never_panic(
            dict in proptest::collection::vec(proptest::num::u8::ANY, 0..64),
            dict_values in 0u32..20,
            data in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
            levels in 0u32..300,
            v2 in proptest::bool::ANY,
            dictionary in proptest::bool::ANY,
            max_def in 0i16..3,
            def_len in 0u32..64,
        ) {
            let encoding = if dictionary { Encoding::RLE_DICTIONARY } else { Encoding::PLAIN };
            let mut pages = vec![Page::DictionaryPage {
                buf: bytes::Bytes::from(dict),
                num_values: dict_values,
                encoding: Encoding::PLAIN,
                is_sorted: false,
            }];
            let buf = bytes::Bytes::from(data);
            pages.push(if v2 {
                Page::DataPageV2 {
                    buf,
                    num_values: levels,
                    encoding,
                    num_nulls: 0,
                    num_rows: levels,
                    def_levels_byte_len: def_len,
                    rep_levels_byte_len: 0,
                    is_compressed: false,
                    statistics: None,
                }
            } else {
                Page::DataPage {
                    buf,
                    num_values: levels,
                    encoding,
                    def_level_encoding: Encoding::RLE,
                    rep_level_encoding: Encoding::RLE,
                    statistics: None,
                }
            });
            let (mut defs, mut out) = (Vec::new(), TextColumn::default());
            if decode_chunk(&mut Pages(pages.into_iter()), max_def, &mut defs, &mut out).is_ok() {
                // what was decoded is consistent: a value per present level, spans in the buffer
                let present = if max_def > 0 {
                    defs.iter().filter(|&&d| d == max_def).count()
                } else {
                    levels as usize
                };
                proptest::prop_assert_eq!(out.len(), present);
                proptest::prop_assert!((0..out.len()).all(|k| out.get(k).is_some()));
            }
        }
    }
}
