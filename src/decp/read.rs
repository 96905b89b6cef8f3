//! Whole-file entry points: read a file into a [`Dataset`], or stream it into [`Actuals`]
//! (on one thread or two).

use std::io::Read;

use super::actuals::{Actuals, ActualsReport};
use super::diag::Accounting;
use super::format::Format;
use super::model::Outcome;
use super::model::{Contract, Dataset};
use super::reader::{self, DecpReader};
use crate::error::Result;

/// Reads a whole DECP file into memory (see [`DecpReader`] to stream it).
///
/// # Errors
/// As [`DecpReader::next_entry`]: [`crate::error::ErrorKind::Parse`] with the byte offset and line for
/// a syntax error, [`crate::error::ErrorKind::Io`] when reading fails.
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
        read_parallel(DecpReader::new(src).indicator_fields_only(), self).map(|(a, _)| a)
    }
}

/// Reads the records of `reader` on two threads into `sink`: the reading thread scans, validates
/// and hashes batches of records; the calling thread converts them and hands them to the sink,
/// in file order. Returns the accounting and the format.
pub(crate) fn read_parallel<R: Read + Send>(
    reader: DecpReader<R>,
    sink: &mut impl reader::Sink,
) -> Result<(Accounting, Option<Format>)> {
    use std::sync::mpsc;
    const BATCH_BYTES: usize = 256 << 10;
    let (full, strategy, declared) = reader.core_settings();
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<Result<reader::Batch>>(2);
        let (recycle_tx, recycle_rx) = mpsc::channel::<reader::Batch>();
        scope.spawn(move || {
            let mut reader = reader;
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
        let mut core = reader::Core::default();
        core.full = full;
        core.strategy = strategy;
        core.declared = declared;
        let mut seen_format = None;
        for msg in rx {
            let batch = msg?;
            seen_format = seen_format.or(batch.format);
            let format = batch.format.unwrap_or(Format::V2024);
            for r in &batch.records {
                let scanned = reader::Scanned {
                    format,
                    kind: r.kind,
                    text: &batch.text[r.start..r.end],
                    start: r.start,
                    members: &batch.members[r.members.clone()],
                    hash: r.hash,
                    fixes: &batch.fixes[r.fixes.clone()],
                    single: r.single,
                };
                core.process_into(&scanned, sink);
            }
            // The reading thread may have finished: then the batch is simply dropped.
            let _ = recycle_tx.send(batch);
        }
        Ok((core.acc, seen_format))
    })
}
