//! The yearly declarations and publications of a buyer.
//!
//! May import: every layer below `plan` and `plan` itself.
