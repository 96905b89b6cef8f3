//! The DECP formats and the bound beyond which an amount is an outlier.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Amounts above this bound (one hundred billion euros HT, beyond any French public contract or
/// concession published so far) are kept but flagged as outliers ([`AwardedContract::outlier`](super::AwardedContract::outlier))
/// with a warning; real files carry values such as 1e17. Outliers up to the crate's
/// [`Amount`](crate::Amount) bound (1e14) still count in the indicators, as published; a value
/// beyond it cannot be summed: the record is kept raw and, having no usable amount, rejected.
pub const OUTLIER_BOUND: Decimal = Decimal::from_parts(0x4876_E800, 0x17, 0, false, 0);

/// The DECP JSON format of a file, detected from its root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Format {
    /// Format 1.x (2019): `{"marches": [ … ]}` with `_type` per record.
    V2019,
    /// Format 2.0.x (2024): `{"marches": {"marche": [ … ], "contrat-concession": [ … ]}}`.
    V2024,
}
