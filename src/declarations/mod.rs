//! The yearly declarations and publications of a buyer:
//! - the AGEC art. 58 table ([`AgecDeclaration`]): the 17 product categories × total spend,
//!   reuse, recycled content, shares, the rates of the year with their confidence and met /
//!   not met / unknown — from the buyer's spend file, a plan's projection or awarded
//!   contracts (DECP); CSV (also in the official declaration schema's form) and JSON;
//! - the EGalim table per restaurant ([`EgalimDeclaration`]), with the categories of the
//!   ma-cantine declaration where they map;
//! - the forward plan published to suppliers ([`ForwardPlan`]), with the fields of the State's
//!   APProch portal and the estimated amount as a band, never the estimate.
//!
//! Every share is checked by the obligations engine ([`ObligationEngine`](crate::ObligationEngine)):
//! the rates, their confidence, their dates and the scope of the rule are the rulebook's. A
//! rate that is not established, or a portion that is not known, prints `unknown` — never
//! `met`.
//!
//! May import: `error`, `util`, `values`, `vocabulary`, `indicators`, `law`, `programme`,
//! `levers`, `lcc`, `decp`, `plan`.

mod agec;
mod check;
mod egalim;
mod forward;

pub use agec::{AgecDeclaration, AgecRow, AgecSource, AgecSpendRow};
pub use check::{CheckStatus, RateCheck};
pub use egalim::{EgalimDeclaration, EgalimRow, MaCantine, RestaurantFood};
pub use forward::{
    AmountBands, ExcludedLine, ForwardPlan, ForwardPlanOptions, ForwardRow, OfferPeriods,
};
