//! # spaser
//!
//! Plan sustainable public purchasing in France: the buyer's purchasing programme with the
//! procedure each purchase needs, the social and environmental levers, the legal rules that
//! apply on a date (each with its article), the targets of a SPASER (*schéma de promotion des
//! achats socialement et écologiquement responsables*) and the indicators that measure them,
//! planned or realised.
//!
//! Money is exact ([`Amount`], euros HT, `Decimal`), shares are exact ([`Share`]), every legal
//! figure lives in dated data with its article and confidence, and one [`IndicatorEngine`]
//! computes every share of the crate.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod consideration;
mod cpv;
mod error;
mod indicators;
pub mod maturity;
mod money;
mod nature;
mod period;
mod share;
mod siret;

pub use consideration::{Consideration, Dimension, Instrument};
pub use cpv::CpvCode;
pub use error::{Error, ErrorKind, Result};
pub use indicators::{
    Basis, Coverage, Dimensions, GroupBy, Indicator, IndicatorEngine, IndicatorRow, IndicatorTable,
    Measure, Purchase, PurchaseFilter, STANDARD_ENVIRONMENTAL, STANDARD_INNOVATIVE,
    STANDARD_RESERVED, STANDARD_SOCIAL,
};
pub use money::Amount;
pub use nature::Nature;
pub use period::Period;
pub use share::Share;
pub use siret::Siret;
