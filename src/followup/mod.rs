//! The follow-up loop: which planned purchase became which awarded contract, planned against
//! actual, where the year will land, and the yearly SPASER review.
//!
//! A SPASER is followed each year and its indicators "in number of contracts or in value" on the
//! *actual* rates of responsible purchases are published (L2111-3). No identifier joins a
//! planned line to the contract it became: this module matches them, then measures both
//! through the crate's one [`IndicatorEngine`](crate::IndicatorEngine).
//!
//! - [`link`] → [`Linking`]: plan ↔ award linking with a score and reasons per link ([`Reason`]);
//!   lots, grouped lines, explicit links ([`PlanLine::contract_ids`](crate::PlanLine)); unplanned
//!   purchases ([`Unplanned`]) and lines late or abandoned ([`UnlinkedLine`]); every contract and
//!   line accounted for ([`LinkAccounting`]).
//! - [`compare`] → [`LineOutcome`]: planned against actual per linked line.
//! - [`forecast`] → [`Forecast`]: where a year in progress will land at a reference date, and
//!   the purchases whose levers would close each gap ([`Closing`]).
//! - [`review`] → [`Review`]: the yearly review, rendered in French or English Markdown and HTML
//!   (with an SVG chart) or JSON.
//! - [`PlannedLevers`]: the levers planned on each line, from a [`Plan`](crate::Plan) or by hand.
//!
//! The buyer is the programme's: its SIRET, and the other establishments of its SIREN (the
//! reasons say so). The data set of the tests (`tests/data/followup/`) is a programme of 40 lines
//! of one town and a DECP file with its contracts and other buyers' near copies, the true links
//! known.
//!
//! ```
//! use chrono::NaiveDate;
//! use spaser::decp::{AwardedContract, Identifier};
//! use spaser::followup::{forecast, link, ForecastOptions, LinkOptions, PlannedLevers};
//! use spaser::{Amount, Catalogue, Programme, Rulebook, Targets};
//!
//! let programme = Programme::sample();
//! let line = &programme.lines[0];
//! let mut c = AwardedContract::default();
//! c.id = "2026-001".into();
//! c.buyer = Some(Identifier::parse("21490999600016"));
//! c.object = Some(format!("{} (marché 2026)", line.label));
//! c.cpv = line.cpv;
//! c.amount = Some(line.amount);
//! c.notification_date = NaiveDate::from_ymd_opt(2026, 6, 15);
//!
//! let linking = link(programme, std::slice::from_ref(&c), &LinkOptions::default())?;
//! let l = linking.link_of(&line.id).unwrap();
//! assert!(l.pairs[0].reasons.iter().any(|r| r.to_string().starts_with("object similarity")));
//!
//! let targets = Targets::defaults_for(programme, Rulebook::embedded());
//! let planned = PlannedLevers::new(Catalogue::embedded());
//! let at = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
//! let f = forecast(programme, &planned, &[c], &targets, 2026, at,
//!                  &ForecastOptions::default().close_gaps(false))?;
//! assert_eq!(f.awarded_contracts, 1);
//! # Ok::<(), spaser::Error>(())
//! ```
//!
//! May import: every layer below it (`error` … `maturity`); nothing imports it but the
//! command.

mod buyer;
mod compare;
mod evidence;
mod forecast;
mod link;
mod measure;
mod planned;
mod review;
mod review_doc;
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
    Cause, DataNote, PublishedIndicator, Review, ReviewOptions, ServiceRow, TargetReview,
    UnlinkedRow, UnplannedRow, review,
};
