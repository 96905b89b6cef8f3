//! The SPASER plan: targets (JSON or a spreadsheet), the options a buyer writes in a file, the planner that puts levers on lines (law, then targets, then
//! effort) and the report of the plan.
//!
//! May import: every layer below it — `error`, `util`, `values`, `vocabulary`, `indicators`,
//! `law`, `programme`, `levers`, `lcc`, `sourcing` (the market's capacity, which makes levers
//! available or not), `decp`.

pub(crate) mod options_file;
pub(crate) mod planner;
pub(crate) mod report;
pub(crate) mod targets;
pub(crate) mod targets_sheet;
