//! The vocabulary of sustainable purchasing: the dimension × instrument × goal of a
//! consideration, the codes of DECP, eForms and OCDS that carry them, and the AGEC art. 58
//! product categories.
//!
//! May import: `error`, `util`, `values`.

pub(crate) mod agec;
pub(crate) mod codes;
pub(crate) mod consideration;
pub(crate) mod dimension;
