//! Reading the files named on the command line, with errors a person can act on: the file's
//! name and the OS reason, a directory named as such, an empty file refused. New readers (xlsx,
//! consolidated DECP…) take the path from here.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::Failure;

fn check(path: &Path) -> Result<u64, Failure> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Failure::Data(format!("cannot read {}: {e}", path.display())))?;
    if meta.is_dir() {
        return Err(Failure::Data(format!(
            "cannot read {}: it is a directory, not a file",
            path.display()
        )));
    }
    Ok(meta.len())
}

fn empty(path: &Path) -> Failure {
    Failure::Data(format!("{}: the file is empty", path.display()))
}

/// The bytes of `path`.
///
/// # Errors
/// A missing or unreadable file (its name and the OS reason), a directory, an empty file.
pub fn bytes(path: &Path) -> Result<Vec<u8>, Failure> {
    check(path)?;
    let data = std::fs::read(path)
        .map_err(|e| Failure::Data(format!("cannot read {}: {e}", path.display())))?;
    if data.is_empty() {
        return Err(empty(path));
    }
    Ok(data)
}

/// The text of `path` (UTF-8).
///
/// # Errors
/// As [`bytes`], and text that is not UTF-8 (with the byte offset).
pub fn text(path: &Path) -> Result<String, Failure> {
    String::from_utf8(bytes(path)?).map_err(|e| {
        Failure::Data(format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// A buffered reader of `path`, or of standard input for `-`, for the streaming readers.
///
/// # Errors
/// As [`bytes`] (a regular file of length 0 is empty; standard input is not checked).
pub fn open(path: &Path) -> Result<Box<dyn Read + Send>, Failure> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdin()));
    }
    if check(path)? == 0 {
        return Err(empty(path));
    }
    let file = File::open(path)
        .map_err(|e| Failure::Data(format!("cannot read {}: {e}", path.display())))?;
    Ok(Box::new(BufReader::with_capacity(1 << 16, file)))
}

/// The display name of an input (`-` is standard input).
pub fn name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "standard input".into()
    } else {
        path.display().to_string()
    }
}
