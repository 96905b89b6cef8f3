//! Writing programmes as real workbooks (rust_xlsxwriter) and as French Excel CSV
//! (Windows-1252, `;`) for the readers' tests and benches.

#![allow(dead_code)]

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// How a column is written in a workbook.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Text,
    Number,
    Date,
    Bool,
}

/// The type of a column of `Programme::to_table` when written as a buyer's workbook would
/// hold it: amounts and durations as numbers, dates as date cells, flags as booleans.
pub fn kind_of(header: &str) -> Kind {
    match header {
        "amount_ht" | "duration_months" | "lot" => Kind::Number,
        "launch_date" | "current_end_date" | "need_date" => Kind::Date,
        "innovative" | "specific_services" | "defence_security" | "confidential" => Kind::Bool,
        _ => Kind::Text,
    }
}

/// An xlsx workbook with `rows` under `header` on sheet `sheet`, after `title_rows` title
/// lines; cells typed by `kind_of` when `typed`, text otherwise. A first sheet "Notice"
/// holds a note when `notice` is set.
pub fn xlsx(
    header: &[&str],
    rows: &[Vec<String>],
    sheet: &str,
    typed: bool,
    title_rows: &[&str],
    notice: bool,
) -> Vec<u8> {
    let mut wb = Workbook::new();
    if notice {
        let ws = wb.add_worksheet();
        ws.set_name("Notice").unwrap();
        ws.write_string(0, 0, "Programmation des achats : mode d'emploi")
            .unwrap();
    }
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    let ws = wb.add_worksheet();
    ws.set_name(sheet).unwrap();
    let mut r = 0u32;
    for t in title_rows {
        ws.write_string(r, 0, *t).unwrap();
        r += 1;
    }
    for (c, h) in header.iter().enumerate() {
        ws.write_string(r, c as u16, *h).unwrap();
    }
    r += 1;
    for row in rows {
        for (c, v) in row.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            let col = c as u16;
            match if typed {
                kind_of(header[c])
            } else {
                Kind::Text
            } {
                Kind::Text => {
                    ws.write_string(r, col, v).unwrap();
                }
                Kind::Number => {
                    ws.write_number(r, col, v.parse::<f64>().unwrap()).unwrap();
                }
                Kind::Bool => {
                    ws.write_boolean(r, col, v == "true").unwrap();
                }
                Kind::Date => {
                    let d = ExcelDateTime::parse_from_str(v).unwrap();
                    ws.write_datetime_with_format(r, col, &d, &date_format)
                        .unwrap();
                }
            }
        }
        r += 1;
    }
    wb.save_to_buffer().unwrap()
}

/// The table as French Excel writes "CSV (séparateur : point-virgule)": `;`, CRLF,
/// Windows-1252.
pub fn windows_1252_csv(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable, "text outside Windows-1252");
    bytes.into_owned()
}
