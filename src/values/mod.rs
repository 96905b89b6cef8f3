//! The ground floor: value types every other layer uses — exact money ([`Amount`]), exact
//! shares ([`Share`]), CPV codes, SIRET numbers, periods, the nature of a purchase, the
//! confidence tag of a legal figure and the kind of buyer.
//!
//! May import: `error`, `util`.
//!
//! [`Amount`]: crate::Amount
//! [`Share`]: crate::Share

pub(crate) mod buyer_kind;
pub(crate) mod confidence;
pub(crate) mod cpv;
pub(crate) mod date;
pub(crate) mod lang;
pub(crate) mod money;
pub(crate) mod nature;
pub(crate) mod period;
pub(crate) mod place;
pub(crate) mod share;
pub(crate) mod siret;
pub(crate) mod table;
