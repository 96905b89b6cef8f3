//! The open data of awarded contracts (DECP): lenient streaming readers for every form it is
//! published in — the regulatory JSON ([`DecpReader`]) and XML (`XmlReader`, feature `xml`) of
//! the 2019 and 2024 formats, the consolidated national file of decp-processing in CSV and
//! Parquet (feature `parquet`) — a 2024 writer that reports what does not validate, and the
//! realised, strategy and data-quality indicators computed by the crate's one
//! [`IndicatorEngine`](crate::IndicatorEngine).
//!
//! The simple call is [`read_paths`]: formats detected from the content ([`open`]), several
//! files merged with each contract counted once, a [`Filter`] (one buyer's figures), everything
//! in one [`DecpReport`].
//!
//! Real DECP files deviate from their schema in many ways (FACTS §12). The reader accepts every
//! known deviation, keeps the record and emits a [`Warning`] naming the record, its id, the field
//! and the raw value; it rejects a record only when it cannot be used (no amount, no date), with
//! the reason. Every record is accounted for: `read == accepted + rejected`
//! ([`Accounting`]).
//!
//! Rules for messy input, each pinned by a test in `tests/decp_robustness.rs`:
//! - `NaN`, `Infinity` and `-Infinity` (not JSON, but pandas writes them and Python's `json`
//!   reads them) are values: where an amount is expected the amount is unusable (the record is
//!   rejected, as for any unusable amount); elsewhere they are null, with a warning naming the
//!   record, the field and the token.
//! - Bytes that are not UTF-8 inside a string are replaced by U+FFFD and warned about with the
//!   record, the field and the byte offset; an input mostly not UTF-8 fails with a message that
//!   names the likely encoding.
//! - A key repeated in a record keeps its **first** value, with a warning giving both.
//! - An amount written as text that reads two ways (`"12.500"`: 12,500 € with a decimal comma,
//!   12.50 € with a decimal point) takes the convention of the file — declared by the caller
//!   ([`DecpReader::number_convention`]) or proved by the unambiguous text amounts read before
//!   it in the file (a streaming reader cannot look ahead) — never its own; when nothing
//!   decides, the amount is left out of the indicators with a warning.
//! - A date outside 1990–2100 (a two-digit year read as year 26) is unusable, with a warning.
//! - A single object where the 2024 format expects an array is an array of one, warned.
//! - After an error (syntax, I/O) the reader is finished: it returns no more records.
//! - Messages quote at most 80 characters of a value.
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
mod consolidated;
mod diag;
mod filter;
mod format;
mod json;
mod lenient;
mod model;
mod open;
#[cfg(feature = "parquet")]
mod parquet;
#[cfg(feature = "parquet")]
mod parquet_text;
mod quality;
mod read;
mod reader;
mod strategy;
mod table;
mod text;
mod writer;
#[cfg(feature = "xml")]
mod xml;

pub use actuals::{
    Actuals, ActualsReport, AuditCheck, Finding, IndicatorFigures, YearFigures, by_group, by_year,
    percent, purchase_of, purchase_of_concession,
};
pub use diag::{Accounting, Rejection, Warning};
pub use filter::Filter;
pub use format::{Format, OUTLIER_BOUND};
pub use model::{
    AwardedContract, Concession, Considerations, Contract, Dataset, Entry, Holder, Identifier,
    Modification, Outcome,
};
pub use open::{DecpReport, FileReport, Input, Options, Reading, SourceFormat, open, read_paths};
pub use quality::{QualityExample, QualityReport};
pub use read::{indicators, indicators_parallel, read};
pub use reader::DecpReader;
pub use strategy::{FRAMEWORK, MeanRow, OVER_FOUR_YEARS, SINGLE_BID, SME, StrategyReport};
pub use writer::{WriteIssue, Written, write_2024, write_2024_to};
#[cfg(feature = "xml")]
pub use xml::XmlReader;
