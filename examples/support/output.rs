//! Output shared by the examples.

use std::io::Write;

/// Writes `text` to standard output. A closed pipe (`| head`) is not an error worth a panic,
/// as `print!` would make it: the output simply stops.
///
/// # Errors
/// Any other write error, as text.
pub fn write_stdout(text: &str) -> Result<(), String> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.to_string()),
        _ => Ok(()),
    }
}
