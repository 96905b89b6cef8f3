//! The law on a date: the rulebook of dated thresholds and obligation rules (each with its
//! article, period and confidence), the purchase context the rules read, and the obligations
//! engine that turns them into findings.
//!
//! May import: `error`, `util`, `values`, `vocabulary`, `render`, `indicators`.

pub(crate) mod context;
pub(crate) mod in_force;
pub(crate) mod innovation;
pub(crate) mod obligation_rules;
pub(crate) mod obligations;
pub(crate) mod procedure;
pub(crate) mod rulebook;
pub(crate) mod text;
