//! The consolidated national DECP as Parquet (decp-processing's daily `decp.parquet`, zstd):
//! only the columns needed, row group by row group, through the `parquet` crate's column
//! readers (feature `parquet`).

use std::panic::{AssertUnwindSafe, catch_unwind};

use parquet::basic::{ConvertedType, LogicalType, Type as Physical};
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::{ByteArray, DataType};
use parquet::file::reader::{ChunkReader, FileReader, SerializedFileReader};

use super::consolidated::{check_columns, column_map};
use super::filter::Filter;
use super::table::{COLUMNS, Col, Consolidator, Needs, Row, Val};
use crate::error::{Error, ErrorKind, Result};
use crate::util::text::excerpt;

/// The decoded values of one column of a row group: non-null values in order and, when the
/// column is nullable, one definition level per row.
enum Values {
    Bytes(Vec<ByteArray>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    F64(Vec<f64>),
    F32(Vec<f32>),
    Bool(Vec<bool>),
}

struct Column {
    col: Col,
    values: Values,
    defs: Vec<i16>,
    max_def: i16,
    date: bool,
    cursor: usize,
}

fn parquet_error(e: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::new(
        ErrorKind::Parse,
        format!("consolidated Parquet: {}", excerpt(&e.to_string())),
    )
    .with_source(e)
}

/// Reads the records of a column chunk (`n` rows): every one, or only the runs of rows that
/// `select` keeps (the others are skipped without being materialised).
fn read_all<T: DataType>(
    mut r: ColumnReaderImpl<T>,
    n: usize,
    defs: &mut Vec<i16>,
    nullable: bool,
    select: Option<&[bool]>,
) -> Result<Vec<T::T>> {
    let mut values = Vec::new();
    let mut read = |r: &mut ColumnReaderImpl<T>, k: usize, values: &mut Vec<T::T>| -> Result<()> {
        let mut got = 0;
        while got < k {
            let (records, _, _) = r
                .read_records(
                    k - got,
                    if nullable { Some(&mut *defs) } else { None },
                    None,
                    values,
                )
                .map_err(parquet_error)?;
            if records == 0 {
                break;
            }
            got += records;
        }
        Ok(())
    };
    match select {
        None => read(&mut r, n, &mut values)?,
        Some(sel) => {
            let mut i = 0;
            while i < n {
                let keep = sel.get(i).copied().unwrap_or(false);
                let run = sel[i..].iter().take_while(|&&k| k == keep).count().max(1);
                if keep {
                    read(&mut r, run, &mut values)?;
                } else {
                    r.skip_records(run).map_err(parquet_error)?;
                }
                i += run;
            }
        }
    }
    Ok(values)
}

/// Reads a consolidated Parquet file into `cons`.
///
/// A file the `parquet` crate cannot decode — or on which it panics, as it may on corrupt
/// input — is an error, never a panic of the caller.
///
/// # Errors
/// [`ErrorKind::Parse`] for a file that is not Parquet or not decodable, [`ErrorKind::Missing`]
/// when a required column is absent.
pub(crate) fn read_parquet<R: ChunkReader + Send + 'static>(
    src: R,
    cons: &mut Consolidator,
    needs: Needs,
) -> Result<()> {
    match catch_unwind(AssertUnwindSafe(|| read_inner(src, cons, needs))) {
        Ok(r) => r,
        Err(_) => Err(Error::new(
            ErrorKind::Parse,
            "consolidated Parquet: the file is corrupt (its decoder failed)",
        )),
    }
}

/// One row group decoded: its row count, the rows kept by the buyer filter (when any) and the
/// wanted columns.
struct Group {
    n: usize,
    select: Option<Vec<bool>>,
    columns: Vec<Column>,
}

/// Decodes row group `g`: the buyer column first when there is a buyer filter (the rows of
/// other buyers are then skipped in the other columns), then the wanted columns.
fn decode_group<R: ChunkReader + 'static>(
    reader: &SerializedFileReader<R>,
    g: usize,
    wanted: &[(usize, Col)],
    buyer: Option<(&Filter, usize)>,
) -> Result<Group> {
    let schema = reader.metadata().file_metadata().schema_descr();
    let rg = reader.get_row_group(g).map_err(parquet_error)?;
    let n = usize::try_from(rg.metadata().num_rows()).unwrap_or(0);
    let select: Option<Vec<bool>> = match buyer {
        Some((f, idx)) => {
            let max_def = schema.column(idx).max_def_level();
            let mut defs = Vec::new();
            let values = match rg.get_column_reader(idx).map_err(parquet_error)? {
                ColumnReader::ByteArrayColumnReader(r) => {
                    read_all(r, n, &mut defs, max_def > 0, None)?
                }
                _ => Vec::new(),
            };
            let mut it = values.iter();
            Some(
                (0..n)
                    .map(|i| {
                        let present = max_def == 0 || defs.get(i) == Some(&max_def);
                        let v = if present { it.next() } else { None };
                        v.is_some_and(|b| {
                            f.buyer_matches(std::str::from_utf8(b.data()).unwrap_or(""))
                        })
                    })
                    .collect(),
            )
        }
        None => None,
    };
    let expected = select
        .as_ref()
        .map_or(n, |s| s.iter().filter(|&&k| k).count());
    let mut columns = Vec::with_capacity(wanted.len());
    if expected == 0 {
        return Ok(Group { n, select, columns });
    }
    for &(idx, col) in wanted {
        let desc = schema.column(idx);
        let max_def = desc.max_def_level();
        let nullable = max_def > 0;
        let mut defs = Vec::with_capacity(if nullable { expected } else { 0 });
        let date = matches!(desc.logical_type_ref(), Some(LogicalType::Date))
            || desc.converted_type() == ConvertedType::DATE;
        let sel = select.as_deref();
        let values = match (
            rg.get_column_reader(idx).map_err(parquet_error)?,
            desc.physical_type(),
        ) {
            (ColumnReader::ByteArrayColumnReader(r), Physical::BYTE_ARRAY) => {
                Values::Bytes(read_all(r, n, &mut defs, nullable, sel)?)
            }
            (ColumnReader::Int32ColumnReader(r), _) => {
                Values::I32(read_all(r, n, &mut defs, nullable, sel)?)
            }
            (ColumnReader::Int64ColumnReader(r), _) => {
                Values::I64(read_all(r, n, &mut defs, nullable, sel)?)
            }
            (ColumnReader::DoubleColumnReader(r), _) => {
                Values::F64(read_all(r, n, &mut defs, nullable, sel)?)
            }
            (ColumnReader::FloatColumnReader(r), _) => {
                Values::F32(read_all(r, n, &mut defs, nullable, sel)?)
            }
            (ColumnReader::BoolColumnReader(r), _) => {
                Values::Bool(read_all(r, n, &mut defs, nullable, sel)?)
            }
            (_, t) => {
                return Err(Error::new(
                    ErrorKind::Parse,
                    format!(
                        "consolidated Parquet: column \"{}\" has the unexpected type {t}",
                        COLUMNS[col as usize].1
                    ),
                ));
            }
        };
        if nullable && defs.len() != expected {
            return Err(Error::new(
                ErrorKind::Parse,
                format!(
                    "consolidated Parquet: column \"{}\" of row group {g} has {} values for {expected} rows",
                    COLUMNS[col as usize].1,
                    defs.len()
                ),
            ));
        }
        columns.push(Column {
            col,
            values,
            defs,
            max_def,
            date,
            cursor: 0,
        });
    }
    Ok(Group { n, select, columns })
}

fn read_inner<R: ChunkReader + Send + 'static>(
    src: R,
    cons: &mut Consolidator,
    needs: Needs,
) -> Result<()> {
    let reader = SerializedFileReader::new(src).map_err(parquet_error)?;
    let schema = reader.metadata().file_metadata().schema_descr();
    let names: Vec<&str> = schema.columns().iter().map(|c| c.name()).collect();
    let map = column_map(&names);
    check_columns(&map, "Parquet schema")?;
    let wanted: Vec<(usize, Col)> = COLUMNS
        .iter()
        .filter(|(c, _)| needs.wants(*c))
        .filter_map(|(c, _)| map[*c as usize].map(|i| (i, *c)))
        .collect();
    let filter = cons.buyer_filter().cloned();
    let buyer_col = map[Col::AcheteurId as usize];
    let groups = reader.num_row_groups();
    // One thread decodes the row groups (decompression, dictionaries), the calling thread
    // reduces their rows, one group ahead.
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Group>>(1);
        let reader = &reader;
        let wanted = &wanted;
        let filter = filter.as_ref();
        scope.spawn(move || {
            for g in 0..groups {
                let buyer = filter.zip(buyer_col);
                let r = decode_group(reader, g, wanted, buyer);
                let failed = r.is_err();
                if tx.send(r).is_err() || failed {
                    return;
                }
            }
        });
        let mut row_base = 0u64;
        for msg in rx {
            let mut group = msg?;
            let n = group.n;
            if let Some(sel) = &group.select {
                let kept = sel.iter().filter(|&&k| k).count();
                cons.skip_filtered_rows((n - kept) as u64);
                if kept == 0 {
                    row_base += n as u64;
                    continue;
                }
            }
            let mut k = 0usize;
            for i in 0..n {
                if let Some(sel) = &group.select {
                    if !sel[i] {
                        continue;
                    }
                }
                // the position of the row among those read
                let i_read = k;
                k += 1;
                let mut row = Row::default();
                for c in &mut group.columns {
                    let present = c.max_def == 0 || c.defs.get(i_read) == Some(&c.max_def);
                    if !present {
                        continue;
                    }
                    let k = c.cursor;
                    c.cursor += 1;
                    let v = match &c.values {
                        Values::Bytes(v) => v.get(k).map_or(Val::Null, |b| Val::Text(b.data())),
                        Values::I32(v) => match v.get(k) {
                            Some(&x) if c.date => Val::Day(x),
                            Some(&x) => Val::Int(i64::from(x)),
                            None => Val::Null,
                        },
                        Values::I64(v) => v.get(k).map_or(Val::Null, |&x| Val::Int(x)),
                        Values::F64(v) => v.get(k).map_or(Val::Null, |&x| Val::Num(x)),
                        Values::F32(v) => v.get(k).map_or(Val::Null, |&x| Val::Num(f64::from(x))),
                        Values::Bool(v) => v.get(k).map_or(Val::Null, |&x| Val::Bool(x)),
                    };
                    row.cells[c.col as usize] = v;
                }
                cons.add(row_base + i as u64, &row);
            }
            row_base += n as u64;
        }
        Ok(())
    })
}
