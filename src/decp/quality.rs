//! The data quality of a DECP file: what is missing or implausible, in the spirit of
//! decp-processing's anomaly flags (`docs/explications_montants_anormaux.md` in that project):
//! absurd and placeholder amounts, amounts far from their peers (robust z-score of log
//! amounts), missing considerations, SIRETs failing the Luhn check, unusable dates, duplicates.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::diag::{Rejection, Warning};
use super::model::AwardedContract;
use crate::util::text::{excerpt, fold};
use crate::values::nature::Nature;

/// The pipeline's marker for amounts whose integer part has more than 11 digits
/// (decp-processing replaces them by 12311111111).
const PIPELINE_MARKER: u64 = 12_311_111_111;
/// Amounts at or above one billion euros are absurd for a French public contract (the largest
/// published run to hundreds of millions).
const ABSURD_EUROS: u64 = 1_000_000_000;
/// Peer groups need this many contracts for their median and spread to mean something
/// (decp-processing's `ANOMALY_GROUPE_MIN_SIZE`).
const MIN_GROUP: usize = 30;
/// Robust z-scores above these are suspect / aberrant (decp-processing's thresholds).
const SUSPECT_Z: f64 = 4.0;
const ABERRANT_Z: f64 = 6.0;
/// Examples kept per check.
const EXAMPLES: usize = 10;

/// One example of a quality finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct QualityExample {
    /// The check (a field name of [`QualityReport`]).
    pub check: String,
    /// Index of the record (row, for tabular files) in its file.
    pub record: u64,
    /// The contract's id.
    pub id: String,
    /// The value concerned (at most 80 characters).
    pub value: String,
}

/// What is missing or implausible in a file's contracts (the ones kept by the read's filter).
///
/// Counts are contracts (records). The amount checks read the current amount; `amount_suspect`
/// and `amount_aberrant` compare the log of the amount (per month for services and supplies
/// that are not lump sums) with the contracts of the same CPV division and nature — or of the
/// same nature when the division has fewer than 30 — as a robust z-score (distance to the
/// median in median absolute deviations): above 4 suspect, above 6 aberrant.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct QualityReport {
    /// Contracts examined.
    pub contracts: u64,
    /// Records rejected by the reader (no usable date or amount…), by reason.
    pub rejected: BTreeMap<String, u64>,
    /// Accepted records identical to an earlier one of the file.
    pub duplicates: u64,
    /// Contracts already read from an earlier file of the same read.
    pub cross_file_duplicates: u64,
    /// No usable amount (kept: the consolidated file's contracts count with 0).
    pub missing_amount: u64,
    /// An amount of zero.
    pub zero_amount: u64,
    /// A placeholder amount above zero and at most one euro.
    pub placeholder_amount: u64,
    /// A sentinel amount: only nines (999999…, at least six) or the pipeline's 12311111111.
    pub sentinel_amount: u64,
    /// One billion euros or more (sentinels aside).
    pub absurd_amount: u64,
    /// Amounts far from their peers (robust z-score above 4, at most 6).
    pub amount_suspect: u64,
    /// Amounts very far from their peers (robust z-score above 6).
    pub amount_aberrant: u64,
    /// Social considerations not published.
    pub missing_social: u64,
    /// Environmental considerations not published.
    pub missing_environmental: u64,
    /// A buyer identifier that is not a valid SIRET.
    pub invalid_buyer_siret: u64,
    /// A holder declared with a SIRET that fails the check.
    pub invalid_holder_siret: u64,
    /// No CPV code.
    pub missing_cpv: u64,
    /// No usable number of offers received (missing or 0).
    pub missing_offers: u64,
    /// Dates unusable or out of 1990–2100 (warnings of the reader, any date field).
    pub unusable_dates: u64,
    /// Data published before the contract's notification.
    pub publication_before_notification: u64,
    /// A few examples per check.
    pub examples: Vec<QualityExample>,
}

/// Accumulates a [`QualityReport`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Quality {
    report: QualityReport,
    examples: BTreeMap<&'static str, usize>,
    /// (group key, log amount, record, id) for the peer comparison.
    logs: Vec<(u16, f32, u64, Box<str>)>,
}

fn all_nines(euros: u64) -> bool {
    euros >= 999_999 && euros.to_string().bytes().all(|b| b == b'9')
}

impl Quality {
    fn example(&mut self, check: &'static str, record: u64, id: &str, value: &str) {
        let n = self.examples.entry(check).or_default();
        if *n < EXAMPLES {
            *n += 1;
            self.report.examples.push(QualityExample {
                check: check.to_string(),
                record,
                id: excerpt(id).into_owned(),
                value: excerpt(value).into_owned(),
            });
        }
    }

    /// A contract kept by the read.
    pub fn add(&mut self, record: u64, c: &AwardedContract) {
        let r = &mut self.report;
        r.contracts += 1;
        let id = c.id.as_str();
        match c.current_amount() {
            None => {
                r.missing_amount += 1;
                self.example("missing_amount", record, id, "");
            }
            Some(a) => {
                let d = a.as_decimal();
                let euros = u64::try_from(d.trunc().mantissa()).unwrap_or(u64::MAX);
                let whole = d.fract().is_zero();
                let text = a.to_string();
                if d.is_zero() {
                    r.zero_amount += 1;
                    self.example("zero_amount", record, id, &text);
                } else if d <= rust_decimal::Decimal::ONE {
                    r.placeholder_amount += 1;
                    self.example("placeholder_amount", record, id, &text);
                } else if whole && (euros == PIPELINE_MARKER || all_nines(euros)) {
                    r.sentinel_amount += 1;
                    self.example("sentinel_amount", record, id, &text);
                } else if euros >= ABSURD_EUROS {
                    r.absurd_amount += 1;
                    self.example("absurd_amount", record, id, &text);
                }
                if !d.is_zero() {
                    self.peer_sample(record, c, d);
                }
            }
        }
        let r = &mut self.report;
        if c.social.is_none() {
            r.missing_social += 1;
        }
        if c.environmental.is_none() {
            r.missing_environmental += 1;
        }
        if c.cpv.is_none() {
            r.missing_cpv += 1;
        }
        if matches!(c.offers_received, None | Some(0)) {
            r.missing_offers += 1;
        }
        if let (Some(p), Some(n)) = (c.publication_date, c.notification_date) {
            if p < n {
                r.publication_before_notification += 1;
                let v = format!("{p} < {n}");
                self.example("publication_before_notification", record, id, &v);
            }
        }
        if let Some(b) = &c.buyer {
            if b.siret().is_none() {
                self.report.invalid_buyer_siret += 1;
                self.example("invalid_buyer_siret", record, id, b.as_str());
            }
        }
        if let Some(h) = c
            .current_holders()
            .iter()
            .find(|h| h.id_type == "SIRET" && h.id.siret().is_none())
        {
            self.report.invalid_holder_siret += 1;
            let v = h.id.as_str().to_string();
            self.example("invalid_holder_siret", record, id, &v);
        }
    }

    fn peer_sample(&mut self, record: u64, c: &AwardedContract, d: rust_decimal::Decimal) {
        use rust_decimal::prelude::ToPrimitive;
        let Some(euros) = d.to_f64() else { return };
        let nature = c.cpv.and_then(|x| x.nature());
        let lump_sum = c
            .price_form
            .as_deref()
            .is_some_and(|f| fold(f) == "forfaitaire");
        let months = c.current_duration_months().unwrap_or(0);
        let per_month =
            matches!(nature, Some(Nature::Services | Nature::Supplies)) && months > 1 && !lump_sum;
        let normalised = if per_month {
            euros / f64::from(months)
        } else {
            euros
        };
        let nature_code: u16 = match nature {
            Some(Nature::Works) => 1,
            Some(Nature::Supplies) => 2,
            Some(Nature::Services) => 3,
            _ => 0,
        };
        let division = c.cpv.map_or(0, |x| u16::from(x.division()));
        let key = nature_code * 100 + division;
        self.logs.push((
            key,
            (normalised + 1.0).log10() as f32,
            record,
            Box::from(c.id.as_str()),
        ));
    }

    /// A record rejected by the reader.
    pub fn rejected(&mut self, r: &Rejection) {
        let reason = r.reason.split(" (").next().unwrap_or(&r.reason).to_string();
        *self.report.rejected.entry(reason).or_default() += 1;
    }

    /// An accepted duplicate.
    pub fn duplicate(&mut self) {
        self.report.duplicates += 1;
    }

    /// A contract already read from an earlier file.
    pub fn cross_file_duplicate(&mut self) {
        self.report.cross_file_duplicates += 1;
    }

    /// The reader's warnings (only the date checks read them).
    pub fn warnings(&mut self, ws: &[Warning]) {
        for w in ws {
            let date_field = w.field.starts_with("date") || w.field.contains(".date");
            if date_field && (w.message.contains("unusable") || w.message.contains("not a date")) {
                self.report.unusable_dates += 1;
                let id = w.id.clone().unwrap_or_default();
                self.example("unusable_dates", w.record, &id, &w.value);
            }
        }
    }

    pub fn finish(mut self) -> QualityReport {
        // Robust z-scores of the log amounts in peer groups (division × nature, else nature).
        let logs = std::mem::take(&mut self.logs);
        let mut groups: BTreeMap<u16, Vec<f32>> = BTreeMap::new();
        for (k, l, _, _) in &logs {
            groups.entry(*k).or_default().push(*l);
            let nature = (*k / 100) * 100;
            if nature != *k {
                groups.entry(nature).or_default().push(*l);
            }
        }
        let stats: BTreeMap<u16, (f32, f32)> = groups
            .into_iter()
            .filter(|(_, v)| v.len() >= MIN_GROUP)
            .filter_map(|(k, mut v)| {
                let med = median(&mut v);
                let mut dev: Vec<f32> = v.iter().map(|x| (x - med).abs()).collect();
                let mad = median(&mut dev);
                (mad > 0.0).then_some((k, (med, mad)))
            })
            .collect();
        for (k, l, record, id) in &logs {
            let Some(&(med, mad)) = stats.get(k).or_else(|| stats.get(&((k / 100) * 100))) else {
                continue;
            };
            let z = f64::from((l - med) / mad);
            if z > ABERRANT_Z {
                self.report.amount_aberrant += 1;
                self.example("amount_aberrant", *record, id, &format!("z = {z:.1}"));
            } else if z > SUSPECT_Z {
                self.report.amount_suspect += 1;
                self.example("amount_suspect", *record, id, &format!("z = {z:.1}"));
            }
        }
        self.report
            .examples
            .sort_by(|a, b| (&a.check, a.record).cmp(&(&b.check, b.record)));
        self.report
    }
}

/// The median (the lower middle value for an even count), reordering `v`.
fn median(v: &mut [f32]) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    let mid = (v.len() - 1) / 2;
    let (_, m, _) = v.select_nth_unstable_by(mid, f32::total_cmp);
    *m
}
