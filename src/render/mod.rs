//! Rendering for people, in a [`Lang`](crate::values::lang::Lang): the one message catalogue
//! (`src/data/messages.json`: every sentence in French and English), French and English
//! numbers, money, shares and dates, a deterministic SVG chart writer, and a small document
//! model written as Markdown or as one self-contained, print-ready, accessible HTML file.
//!
//! General on purpose: the SPASER document, the prescriber sheets, the English report of a
//! plan and the yearly review all render through it.
//!
//! May import: `error`, `util`, `values`, `vocabulary`.

pub(crate) mod blocks;
pub(crate) mod ctx;
pub(crate) mod format;
pub(crate) mod html;
pub(crate) mod markdown;
pub(crate) mod messages;
pub(crate) mod svg;
