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
mod json;
mod lenient;
mod model;
mod reader;
mod writer;

use std::io::Read;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use actuals::{
    Actuals, ActualsReport, Finding, by_year_json, purchase_of, purchase_of_concession,
};
pub use diag::{Accounting, Rejection, Warning};
pub use model::{
    AwardedContract, Concession, Considerations, Contract, Holder, Identifier, Modification,
};
pub use reader::{DecpReader, Entry, Outcome};
pub use writer::{write_2024, write_2024_to};

use crate::error::Result;

/// Amounts above this bound (one hundred billion euros HT, beyond any French public contract or
/// concession published so far) are kept but flagged as outliers ([`AwardedContract::outlier`])
/// with a warning; real files carry values such as 1e17. Outliers up to the crate's
/// [`Amount`](crate::Amount) bound (1e14) still count in the indicators, as published; a value
/// beyond it cannot be summed: the record is kept raw and, having no usable amount, rejected.
pub const OUTLIER_BOUND: Decimal = Decimal::from_parts(0x4876_E800, 0x17, 0, false, 0);

/// The DECP JSON format of a file, detected from its root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Format 1.x (2019): `{"marches": [ … ]}` with `_type` per record.
    V2019,
    /// Format 2.0.x (2024): `{"marches": {"marche": [ … ], "contrat-concession": [ … ]}}`.
    V2024,
}

/// A whole DECP file, collected.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Dataset {
    /// The format detected (`None` only for a document with no record array).
    pub format: Option<Format>,
    /// Marchés accepted, first of their content, in file order.
    pub contracts: Vec<AwardedContract>,
    /// Concessions accepted, first of their content, in file order.
    pub concessions: Vec<Concession>,
    /// Accepted records identical to an earlier one (counted once), with their index.
    pub duplicates: Vec<(u64, Contract)>,
    /// Rejected records with their reason.
    pub rejected: Vec<Rejection>,
    /// Every warning, in record order.
    pub warnings: Vec<Warning>,
    /// Counts.
    pub accounting: Accounting,
}

/// Reads a whole DECP file into memory (see [`DecpReader`] to stream it).
///
/// # Errors
/// As [`DecpReader::next_entry`]: [`crate::ErrorKind::Parse`] with the byte offset and line for
/// a syntax error, [`crate::ErrorKind::Io`] when reading fails.
///
/// ```
/// let json = r#"{"marches":[{"_type":"Marché","id":"1","acheteur":{"id":"21350238800019"},
///   "montant":127000,"dateNotification":"2019-08-13+02:00"}]}"#;
/// let data = spaser::decp::read(json.as_bytes())?;
/// assert_eq!(data.format, Some(spaser::decp::Format::V2019));
/// assert_eq!(data.contracts[0].notification_date.unwrap().to_string(), "2019-08-13");
/// assert_eq!(data.warnings[0].field, "dateNotification");
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn read(src: impl Read) -> Result<Dataset> {
    let mut reader = DecpReader::new(src);
    let mut data = Dataset::default();
    while let Some(entry) = reader.next_entry()? {
        data.warnings.extend(entry.warnings);
        match entry.outcome {
            Outcome::Contract(Contract::Awarded(c)) => data.contracts.push(c),
            Outcome::Contract(Contract::Concession(c)) => data.concessions.push(c),
            Outcome::Duplicate(c) => data.duplicates.push((entry.record, c)),
            Outcome::Rejected(r) => data.rejected.push(r),
        }
    }
    data.format = reader.format();
    data.accounting = reader.accounting();
    Ok(data)
}

/// Streams a DECP file through [`Actuals`] without keeping its records: memory does not grow
/// with the file beyond the duplicate hashes (see [`DecpReader`]) and the audit findings
/// ([`Actuals::without_audit`] turns them off). Only the fields the indicators read are kept
/// ([`DecpReader::indicator_fields_only`]); warnings are counted, not kept (use [`DecpReader`] to
/// see them).
///
/// # Errors
/// As [`read`].
///
/// ```
/// let json = r#"{"marches":{"marche":[{"id":"1","acheteur":{"id":"21350238800019"},"montant":50000,
///   "dateNotification":"2025-02-03","marcheInnovant":true,
///   "considerationsSociales":{"considerationSociale":["Pas de considération sociale"]},
///   "considerationsEnvironnementales":{"considerationEnvironnementale":["Critère environnemental"]}}]}}"#;
/// let report = spaser::decp::indicators(json.as_bytes(), spaser::decp::Actuals::new())?;
/// assert_eq!(report.marches.total("environmental", 2025).unwrap().count, 1);
/// assert_eq!(report.marches.total("innovative", 2025).unwrap().count, 1);
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn indicators(src: impl Read, mut actuals: Actuals) -> Result<ActualsReport> {
    let mut reader = DecpReader::new(src).indicator_fields_only();
    while reader.next_into(&mut actuals)? {}
    let mut report = actuals.finish();
    report.accounting = reader.accounting();
    Ok(report)
}

/// [`indicators`] on two threads: one reads the input and finds, validates and hashes the
/// records; the calling thread converts them and feeds the engine, in file order. Same result,
/// same accounting and warnings count; memory stays bounded (at most four batches of about
/// 256 KiB in flight).
///
/// # Errors
/// As [`read`].
///
/// ```
/// let json = r#"{"marches":{"marche":[{"id":"1","acheteur":{"id":"21350238800019"},"montant":50000,
///   "dateNotification":"2025-02-03"}]}}"#;
/// let report = spaser::decp::indicators_parallel(json.as_bytes(), spaser::decp::Actuals::new())?;
/// assert_eq!(report.marches.total("social", 2025).unwrap().purchases, 1);
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn indicators_parallel<R: Read + Send>(src: R, mut actuals: Actuals) -> Result<ActualsReport> {
    let accounting = actuals.add_parallel(src)?;
    let mut report = actuals.finish();
    report.accounting = accounting;
    Ok(report)
}

impl Actuals {
    /// Reads a DECP file into these actuals on two threads (see [`indicators_parallel`]) and
    /// returns its accounting. Several files can be added in turn (duplicates are detected
    /// within a file).
    ///
    /// # Errors
    /// As [`read`]; the contracts read before the error stay added.
    ///
    /// ```
    /// let json = r#"{"marches":{"marche":[{"id":"1","montant":50000,"dateNotification":"2025-02-03"}]}}"#;
    /// let mut actuals = spaser::decp::Actuals::standard_totals();
    /// let a = actuals.add_parallel(json.as_bytes())?;
    /// let b = actuals.add_parallel(json.as_bytes())?;
    /// assert_eq!(a.read + b.read, 2);
    /// assert_eq!(actuals.finish().marches.total("social", 2025).unwrap().purchases, 2);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn add_parallel<R: Read + Send>(&mut self, src: R) -> Result<Accounting> {
        use std::sync::mpsc;
        const BATCH_BYTES: usize = 256 << 10;
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::sync_channel::<Result<reader::Batch>>(2);
            let (recycle_tx, recycle_rx) = mpsc::channel::<reader::Batch>();
            scope.spawn(move || {
                let mut reader = DecpReader::new(src).indicator_fields_only();
                loop {
                    let mut batch = recycle_rx.try_recv().unwrap_or_default();
                    match reader.fill(&mut batch, BATCH_BYTES) {
                        Ok(more) => {
                            if !batch.records.is_empty() && tx.send(Ok(batch)).is_err() {
                                return; // the consumer stopped
                            }
                            if !more {
                                return;
                            }
                        }
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            return;
                        }
                    }
                }
            });
            let mut core = reader::Core::default(); // `full` false: indicator fields only
            for msg in rx {
                let batch = msg?;
                let format = batch.format.unwrap_or(Format::V2024);
                for r in &batch.records {
                    let scanned = reader::Scanned {
                        format,
                        kind: r.kind,
                        text: &batch.text[r.start..r.end],
                        start: r.start,
                        members: &batch.members[r.members.clone()],
                        hash: r.hash,
                    };
                    core.process_into(&scanned, self);
                }
                // The reading thread may have finished: then the batch is simply dropped.
                let _ = recycle_tx.send(batch);
            }
            Ok(core.acc)
        })
    }
}
