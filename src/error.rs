//! The crate's one public error type.

use std::fmt;

/// What went wrong, for callers that branch on the cause.
///
/// Match with a wildcard arm: new kinds are added as the crate grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A value breaks a domain constraint (negative amount, share above 1, bad SIRET…).
    InvalidValue,
    /// Text could not be parsed (CSV, JSON, a date, a number).
    Parse,
    /// A required column, field or entry is absent.
    Missing,
    /// An identifier appears twice where it must be unique.
    Duplicate,
    /// No rule is known for the requested date or case: the crate never guesses a legal figure.
    NoRule,
    /// A data set (rulebook, catalogue, grid, targets…) is inconsistent.
    Inconsistent,
    /// Arithmetic overflowed the exact decimal range.
    Overflow,
    /// Reading from an input stream failed.
    Io,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::InvalidValue => "invalid value",
            ErrorKind::Parse => "parse error",
            ErrorKind::Missing => "missing",
            ErrorKind::Duplicate => "duplicate",
            ErrorKind::NoRule => "no rule",
            ErrorKind::Inconsistent => "inconsistent data",
            ErrorKind::Overflow => "overflow",
            ErrorKind::Io => "input/output",
        })
    }
}

/// The error of every fallible operation of the crate.
///
/// The message is lowercase, names the value and the rule, and carries its context
/// chained with `": "` (for example `line 14, column "montant_ht": amount "12,5,0" is not a
/// decimal number`). Use [`Error::kind`] to branch on the cause.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// Builds an error of `kind` with `message`.
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error (kept as `source()`, never exposed as a type).
    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// Prefixes the message with `context` (`"context: message"`).
    #[allow(dead_code)]
    pub(crate) fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    /// The cause of the error.
    ///
    /// ```
    /// use spaser::{Amount, ErrorKind};
    /// let err = "-5".parse::<Amount>().unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidValue);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

/// Shorthand for `Result<T, spaser::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
