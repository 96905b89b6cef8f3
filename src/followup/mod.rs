//! The follow-up loop: which planned purchase became which awarded contract, planned against
//! actual, where the year will land, and the yearly SPASER review.
//!
//! - [`link`]: plan ↔ award linking with scores and reasons; unplanned purchases, late or
//!   abandoned lines.
//!
//! May import: every layer below it (`error` … `maturity`); nothing imports it but the
//! command.

mod buyer;
mod compare;
mod forecast;
mod link;
mod measure;
mod planned;
mod render;
mod review;
mod text;

pub use buyer::BuyerMatch;
pub use compare::{ConsiderationCheck, LineOutcome, ProcedureCheck, Publication, compare};
pub use forecast::{
    Closing, ClosingPurchase, Closure, Forecast, ForecastOptions, LateLines, RemainingLine,
    TargetLanding, forecast,
};
pub use link::{
    ContractRef, CpvLevel, DECP_PUBLICATION_THRESHOLD, Link, LinkAccounting, LinkKind, LinkOptions,
    LinkWeights, Linking, MissingContract, PairScore, Reason, Unlinked, UnlinkedLine, Unplanned,
    link,
};
pub use planned::PlannedLevers;
pub use review::{
    Cause, DataNote, Lang, PublishedIndicator, Review, ReviewOptions, ServiceRow, TargetReview,
    UnlinkedRow, UnplannedRow, review,
};
