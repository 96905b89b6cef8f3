//! Crate-internal helpers below every layer: the one fast hasher, the shared string buffers of
//! the estimation, text folding.
//!
//! May import: `error` only.

pub(crate) mod hash;
pub(crate) mod shared;
pub(crate) mod text;
