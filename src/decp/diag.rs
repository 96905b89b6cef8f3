//! Warnings, rejections and the accounting of a DECP read.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::values::lang::Lang;

/// A deviation from the schema that the reader accepted: the record is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Warning {
    /// Index of the record in the file (0-based, marchés then concessions in file order).
    pub record: u64,
    /// The record's `id`, when it has one.
    pub id: Option<String>,
    /// The field (DECP name, dotted for nested fields).
    pub field: String,
    /// The raw value as published (JSON text, at most 80 characters, `…` when cut).
    pub value: String,
    /// What was wrong and what the reader did.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "record {}", self.record)?;
        if let Some(id) = &self.id {
            write!(f, " (id \"{id}\")")?;
        }
        write!(
            f,
            ", field \"{}\": value {}: {}",
            self.field, self.value, self.message
        )
    }
}

impl Warning {
    /// The warning as a line for a person, framed in `lang` (the field, the value as published
    /// and the reader's message as they are):
    ///
    /// ```
    /// use spaser::{decp, Lang};
    /// let json = r#"{"marches":[{"id":"A1","acheteur":{"id":"21350238800019"},
    ///   "montant":"abc","dateNotification":"2024-03-01"},
    ///   {"id":"B2","acheteur":{"id":"21350238800019"}}]}"#;
    /// let data = decp::read(json.as_bytes())?;
    /// let w = &data.warnings[0];
    /// assert!(w.text(Lang::Fr).starts_with("avertissement\u{a0}: enregistrement 0 (id \"A1\"), champ «\u{a0}"));
    /// assert!(w.text(Lang::En).starts_with("warning: record 0 (id \"A1\"), field \""));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn text(&self, lang: Lang) -> String {
        let id = id_text(self.id.as_deref());
        match lang {
            Lang::Fr => format!(
                "avertissement\u{a0}: enregistrement {}{id}, champ «\u{a0}{}\u{a0}»\u{a0}: valeur {}\u{a0}: {}",
                self.record, self.field, self.value, self.message
            ),
            Lang::En => format!("warning: {self}"),
        }
    }
}

/// ` (id "…")` when there is an id.
fn id_text(id: Option<&str>) -> String {
    id.map_or_else(String::new, |id| format!(" (id \"{id}\")"))
}

/// A record the reader could not use, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Rejection {
    /// Index of the record in the file.
    pub record: u64,
    /// The record's `id`, when it has one.
    pub id: Option<String>,
    /// Why the record cannot be used.
    pub reason: String,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "record {}", self.record)?;
        if let Some(id) = &self.id {
            write!(f, " (id \"{id}\")")?;
        }
        write!(f, " rejected: {}", self.reason)
    }
}

impl Rejection {
    /// The rejection as a line for a person, framed in `lang` (the reason as the reader words
    /// it):
    ///
    /// ```
    /// use spaser::{decp, Lang};
    /// let json = r#"{"marches":[{"id":"B2","acheteur":{"id":"21350238800019"}}]}"#;
    /// let data = decp::read(json.as_bytes())?;
    /// let r = &data.rejected[0];
    /// assert!(r.text(Lang::Fr).starts_with("rejeté\u{a0}: enregistrement 0 (id \"B2\")\u{a0}: "));
    /// assert!(r.text(Lang::En).starts_with("rejected: record 0 (id \"B2\"): "));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn text(&self, lang: Lang) -> String {
        let id = id_text(self.id.as_deref());
        match lang {
            Lang::Fr => format!(
                "rejeté\u{a0}: enregistrement {}{id}\u{a0}: {}",
                self.record, self.reason
            ),
            Lang::En => format!("rejected: record {}{id}: {}", self.record, self.reason),
        }
    }
}

/// Every record read is accounted for: `read == accepted + rejected`. Duplicates are accepted
/// records identical in content to an earlier one (counted once by the indicators), so they are
/// a part of `accepted`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Accounting {
    /// Records read (marchés and concessions).
    pub read: u64,
    /// Records kept.
    pub accepted: u64,
    /// Records rejected, each with a reason.
    pub rejected: u64,
    /// Accepted records identical in content to an earlier record.
    pub duplicates: u64,
    /// Accepted records sharing buyer and id with an earlier record of different content
    /// (distinct contracts, kept; each is warned about).
    pub id_collisions: u64,
    /// Warnings emitted.
    pub warnings: u64,
    /// Tabular files (consolidated CSV and Parquet): rows read. A row is a contract × version
    /// × holder; `read` counts the contracts (distinct `uid`) plus the rows rejected alone.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rows: u64,
    /// Tabular files: the records (contracts, and rows rejected alone) the rows make: the part
    /// of `read` that tabular files give.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rows_records: u64,
    /// Tabular files: rows of a version other than the contract's current one.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rows_superseded: u64,
    /// Tabular files: rows of the current version beyond its first (one more holder each).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rows_holders: u64,
    /// Tabular files: rows of other buyers, left out by a buyer filter before grouping.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rows_filtered: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Accounting {
    /// Whether `read == accepted + rejected` and `rows == rows_records + rows_superseded +
    /// rows_holders + rows_filtered` (every row of a tabular file is a contract, another
    /// version of one, another holder of one, filtered out, or rejected alone).
    pub fn balances(&self) -> bool {
        self.read == self.accepted + self.rejected
            && self.rows
                == self.rows_records + self.rows_superseded + self.rows_holders + self.rows_filtered
            && self.rows_records <= self.read
    }

    /// Adds the counts of another read (several files).
    pub fn add(&mut self, o: &Accounting) {
        self.read += o.read;
        self.accepted += o.accepted;
        self.rejected += o.rejected;
        self.duplicates += o.duplicates;
        self.id_collisions += o.id_collisions;
        self.warnings += o.warnings;
        self.rows += o.rows;
        self.rows_records += o.rows_records;
        self.rows_superseded += o.rows_superseded;
        self.rows_holders += o.rows_holders;
        self.rows_filtered += o.rows_filtered;
    }
}
