//! The open data of awarded contracts (DECP): lenient streaming readers for the 2019 and 2024
//! formats, a 2024 writer, and the realised indicators computed by the crate's one
//! [`IndicatorEngine`](crate::IndicatorEngine).
//!
//! Real DECP files deviate from their schema in many ways (FACTS §12). The reader accepts every
//! known deviation, keeps the record and emits a [`Warning`] naming the record, its id, the field
//! and the raw value; it rejects a record only when it cannot be used (no amount, no date), with
//! the reason. Every record is accounted for: `read == accepted + rejected`
//! ([`Accounting`]).
//!
//! May import: `error`, `util`, `values`, `vocabulary`, `indicators`, `law`, `programme`,
//! `levers`.
//!
//! ```
//! use spaser::decp;
//! let json = r#"{"marches":{"marche":[
//!   {"id":"A1","acheteur":{"id":"21350238800019"},"montant":"60000","dateNotification":"2024-03-01",
//!    "considerationsSociales":{"considerationSociale":["Clause sociale"]},
//!    "considerationsEnvironnementales":{"considerationEnvironnementale":["Pas de considération environnementale"]}},
//!   {"id":"A2","acheteur":{"id":"21350238800019"},"montant":40000,"dateNotification":"2024-09-01"}
//! ]}}"#;
//! let data = decp::read(json.as_bytes())?;
//! assert_eq!(data.accounting.read, 2);
//! assert_eq!(data.warnings.len(), 3); // "60000" as a string, A2's considerations missing
//!
//! let actuals = decp::Actuals::new().add_all(&data).finish();
//! let social = actuals.marches.total("social", 2024).unwrap();
//! assert_eq!(social.count_share().unwrap().to_string(), "0.5");
//! assert_eq!(social.value_share().unwrap().to_string(), "0.6");
//! assert_eq!(social.unknown, 1);
//! # Ok::<(), spaser::Error>(())
//! ```

mod actuals;
mod diag;
mod format;
mod json;
mod lenient;
mod model;
mod read;
mod reader;
mod writer;

pub use actuals::{
    Actuals, ActualsReport, Finding, IndicatorFigures, YearFigures, by_year, purchase_of,
    purchase_of_concession,
};
pub use diag::{Accounting, Rejection, Warning};
pub use format::{Format, OUTLIER_BOUND};
pub use model::{
    AwardedContract, Concession, Considerations, Contract, Dataset, Entry, Holder, Identifier,
    Modification, Outcome,
};
pub use read::{indicators, indicators_parallel, read};
pub use reader::DecpReader;
pub use writer::{write_2024, write_2024_to};
