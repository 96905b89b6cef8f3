//! The purchasing programme: the buyer and its planned lines, the spreadsheet readers and
//! writers, the estimation of values with the procedure each line needs, and the calendar.
//!
//! May import: `error`, `util`, `values`, `vocabulary`, `indicators`, `law`.

pub(crate) mod calendar;
pub(crate) mod csv;
pub(crate) mod estimate;
pub(crate) mod model;
pub(crate) mod obligations;
