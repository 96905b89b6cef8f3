//! The purchasing programme: the buyer and its planned lines, the readers of the buyer's own
//! files (CSV in any encoding French Excel writes, xlsx/ods workbooks, JSON; the buyer
//! profile) and the writers, the estimation of values with the procedure each line needs,
//! and the calendar.
//!
//! May import: `error`, `util`, `values`, `vocabulary`, `render`, `indicators`, `law`.

pub(crate) mod buyer_file;
pub(crate) mod calendar;
pub(crate) mod columns;
pub(crate) mod csv;
pub(crate) mod estimate;
pub(crate) mod fields;
pub(crate) mod files;
pub(crate) mod model;
pub(crate) mod obligations;
pub(crate) mod read;
pub(crate) mod sheet;
pub(crate) mod text;
