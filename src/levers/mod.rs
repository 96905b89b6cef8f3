//! The lever catalogue: the clauses, award criteria, specifications, reservations and labels
//! a buyer can put in a purchase, where each applies, its effort and its legal basis.
//!
//! May import: `error`, `util`, `values`, `vocabulary`, `indicators`, `law`, `programme`.

pub(crate) mod lever;
