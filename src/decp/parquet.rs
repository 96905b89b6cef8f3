//! The consolidated national DECP as Parquet (decp-processing's daily `decp.parquet`, zstd):
//! only the columns needed, row group by row group, through the `parquet` crate's column
//! readers (feature `parquet`).

use std::panic::{AssertUnwindSafe, catch_unwind};

use parquet::basic::{ConvertedType, LogicalType, Type as Physical};
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::{ByteArray, DataType};
use parquet::file::reader::{ChunkReader, FileReader, SerializedFileReader};

use super::consolidated::{check_columns, column_map};
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

/// Reads every record of a column chunk (`n` rows).
fn read_all<T: DataType>(
    mut r: ColumnReaderImpl<T>,
    n: usize,
    defs: &mut Vec<i16>,
    nullable: bool,
) -> Result<Vec<T::T>> {
    let mut values = Vec::with_capacity(n);
    let mut got = 0;
    while got < n {
        let (records, _, _) = r
            .read_records(
                n - got,
                if nullable { Some(&mut *defs) } else { None },
                None,
                &mut values,
            )
            .map_err(parquet_error)?;
        if records == 0 {
            break;
        }
        got += records;
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
pub(crate) fn read_parquet<R: ChunkReader + 'static>(
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

fn read_inner<R: ChunkReader + 'static>(
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
    let mut row_base = 0u64;
    for g in 0..reader.num_row_groups() {
        let rg = reader.get_row_group(g).map_err(parquet_error)?;
        let n = usize::try_from(rg.metadata().num_rows()).unwrap_or(0);
        let mut columns = Vec::with_capacity(wanted.len());
        for &(idx, col) in &wanted {
            let desc = schema.column(idx);
            let max_def = desc.max_def_level();
            let nullable = max_def > 0;
            let mut defs = Vec::with_capacity(if nullable { n } else { 0 });
            let date = matches!(desc.logical_type_ref(), Some(LogicalType::Date))
                || desc.converted_type() == ConvertedType::DATE;
            let reader = rg.get_column_reader(idx).map_err(parquet_error)?;
            let values = match (reader, desc.physical_type()) {
                (ColumnReader::ByteArrayColumnReader(r), Physical::BYTE_ARRAY) => {
                    Values::Bytes(read_all(r, n, &mut defs, nullable)?)
                }
                (ColumnReader::Int32ColumnReader(r), _) => {
                    Values::I32(read_all(r, n, &mut defs, nullable)?)
                }
                (ColumnReader::Int64ColumnReader(r), _) => {
                    Values::I64(read_all(r, n, &mut defs, nullable)?)
                }
                (ColumnReader::DoubleColumnReader(r), _) => {
                    Values::F64(read_all(r, n, &mut defs, nullable)?)
                }
                (ColumnReader::FloatColumnReader(r), _) => {
                    Values::F32(read_all(r, n, &mut defs, nullable)?)
                }
                (ColumnReader::BoolColumnReader(r), _) => {
                    Values::Bool(read_all(r, n, &mut defs, nullable)?)
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
            if nullable && defs.len() != n {
                return Err(Error::new(
                    ErrorKind::Parse,
                    format!(
                        "consolidated Parquet: column \"{}\" of row group {g} has {} values for {n} rows",
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
        for i in 0..n {
            let mut row = Row::default();
            for c in &mut columns {
                let present = c.max_def == 0 || c.defs.get(i) == Some(&c.max_def);
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
}
