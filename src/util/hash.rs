//! The crate's one fast, deterministic hasher.
