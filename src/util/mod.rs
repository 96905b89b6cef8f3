//! Crate-internal helpers below every layer: the one fast hasher, the shared string buffers of
//! the estimation, text folding, a reader of CSV tables.
//!
//! May import: `error` only.

pub(crate) mod csv_table;
pub(crate) mod hash;
pub(crate) mod shared;
pub(crate) mod text;
