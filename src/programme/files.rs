//! Reading the small files a buyer writes by hand (buyer profile, column map, plan options):
//! the bytes of a path, JSON or TOML by the file's extension.

use std::path::Path;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Result};
use crate::util::text::excerpt;
use crate::values::money::parse_localized_decimal;

/// Whether a path names a TOML file (extension `.toml`, any case).
pub(crate) fn is_toml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

/// Reads a whole file.
///
/// # Errors
/// [`ErrorKind::Io`] naming the file and the OS reason.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path)
        .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", path.display())).with_source(e))
}

/// Reads a whole file as UTF-8 text (a UTF-8 BOM is dropped).
///
/// # Errors
/// [`ErrorKind::Io`] naming the file and the OS reason; [`ErrorKind::Parse`] when the file
/// is not UTF-8 (naming the first bad byte).
pub(crate) fn read_text(path: &Path) -> Result<String> {
    let bytes = read_bytes(path)?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(body.to_vec()).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        Error::new(
            ErrorKind::Parse,
            format!("{}: the file is not UTF-8 text (byte {at})", path.display()),
        )
        .with_source(e)
    })
}

/// Deserializes JSON, naming the path of the value that fails (`lines[3].amount`) with the
/// line and column.
///
/// # Errors
/// [`ErrorKind::Parse`] prefixed with `what`.
pub(crate) fn parse_json<T: DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let at = if path.is_empty() || path == "." {
            String::new()
        } else {
            format!("field \"{path}\": ")
        };
        Error::new(ErrorKind::Parse, format!("{what}: {at}{inner}")).with_source(inner)
    })
}

/// Deserializes TOML (feature `toml`).
///
/// # Errors
/// [`ErrorKind::Parse`] prefixed with `what`, naming the line, the column and the key; without
/// the `toml` feature, an error saying so.
#[cfg(feature = "toml")]
pub(crate) fn parse_toml<T: DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| {
        let msg = e.to_string().trim().replace('\n', " ");
        Error::new(ErrorKind::Parse, format!("{what}: {msg}")).with_source(e)
    })
}

/// Deserializes TOML: without the `toml` feature, an error saying so.
///
/// # Errors
/// Always [`ErrorKind::Parse`].
#[cfg(not(feature = "toml"))]
pub(crate) fn parse_toml<T: DeserializeOwned>(_text: &str, what: &str) -> Result<T> {
    Err(Error::new(
        ErrorKind::Parse,
        format!("{what}: reading TOML needs the crate's `toml` feature; write the file in JSON"),
    ))
}

/// A number or a text in a hand-written file (`62000000`, `0.5`, `"62 000 000 €"`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub(crate) enum Scalar {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Scalar {
    /// The value as written.
    pub(crate) fn text(&self) -> String {
        match self {
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => format!("{f}"),
            Scalar::Text(t) => t.clone(),
        }
    }

    /// The value as an exact decimal (a text may be written the French way).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] quoting the value when it is not a number.
    pub(crate) fn decimal(&self) -> Result<Decimal> {
        match self {
            Scalar::Int(i) => Ok(Decimal::from(*i)),
            Scalar::Float(f) => Decimal::from_str_exact(&format!("{f}")).map_err(|_| {
                Error::new(ErrorKind::Parse, format!("number \"{f}\" is out of range"))
            }),
            Scalar::Text(t) => parse_localized_decimal(t).map_err(|_| {
                Error::new(
                    ErrorKind::Parse,
                    format!("\"{}\" is not a number", excerpt(t)),
                )
            }),
        }
    }
}
