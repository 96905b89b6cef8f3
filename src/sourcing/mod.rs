//! Sourcing: who can supply each planned purchase, and which social or environmental lever
//! that capacity supports.
//!
//! - [`Directory`]: the buyer's supplier directory (companies only: SIRET, name, CPV
//!   prefixes and/or NAF code, commune and département, [`Status`]es and [`Label`]s with their
//!   source and date, staff band, turnover), read from the buyer's spreadsheet
//!   ([`Directory::read_csv`]) with every row accounted for; [`Directory::sample`] is a
//!   fictitious directory written for the crate.
//! - [`NafTable`]: the NAF → CPV correspondence for suppliers that give only their activity
//!   code (confidence `S`); [`Region`]: the département → region table (INSEE COG).
//!
//! **The perimeter serves to find capacity, never to restrict competition.** The crate looks
//! for suppliers where a purchase is performed (its département, then its region, then the
//! whole country) to judge whether a lever is realistic — whether a reserved contract would
//! find bidders, whether insertion hours can be placed —, and no lever, criterion or
//! condition it recommends is derived from a supplier's location: a preference for local
//! operators is unlawful in French public procurement.
//!
//! May import: `error`, `util`, `values`, `vocabulary`, `indicators`, `law`, `programme`,
//! `levers`.

pub(crate) mod actions;
pub(crate) mod availability;
pub(crate) mod capacity;
pub(crate) mod directory;
pub(crate) mod geo;
pub(crate) mod innovation;
pub(crate) mod ladder;
pub(crate) mod naf;
pub(crate) mod options;
pub(crate) mod read;
pub(crate) mod sheet;
pub(crate) mod status;
pub(crate) mod text;
pub(crate) mod thresholds;

pub use actions::{MeetGroup, SourcingAction, SourcingPlan, SupplierToMeet};
pub use availability::{CheckKind, LeverAvailability, UnavailableLever, Verdict};
pub use capacity::{Capacity, Figures, LevelCapacity, LineCapacity, Unmatched};
pub use directory::{Directory, StaffBand, Supplier};
pub use geo::Region;
pub use innovation::{
    InnovationAssessment, InnovationRoute, RouteKind, RouteStatus, innovation_routes,
};
pub use ladder::{LineRecommendations, Recommendation, Recommendations, Rung};
pub use naf::{NafCode, NafEntry, NafTable};
pub use options::{DependencyBasis, Level, SourcingOptions};
pub use read::{DirectoryRead, DirectoryReadOptions, RowIssue};
pub use status::{Label, Status, StatusFamily};
pub use thresholds::Thresholds;
