//! Where the output goes: format and language checks, standard output with closed-pipe
//! handling, atomic writes to `-o FILE`, notes on standard error unless `--quiet`.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::{Common, Failure, Format, Lang};

/// Fails with a usage error when the subcommand `command` does not offer `--format`.
pub fn check_format(common: &Common, command: &str, offered: &[Format]) -> Result<(), Failure> {
    if offered.contains(&common.format) {
        return Ok(());
    }
    let names: Vec<&str> = offered.iter().map(|f| f.name()).collect();
    Err(Failure::Usage(format!(
        "--format {} is not available for `{command}` (available: {})",
        common.format.name(),
        names.join(", ")
    )))
}

/// The language to print text in: `--lang` (or the default, French) when `command` has text in
/// it, English otherwise — with a note on standard error unless `--quiet`, whether the French
/// was asked for or is the default: a French user is told why the text is English.
pub fn text_lang(common: &Common, command: &str, offered: &[Lang]) -> Lang {
    let lang = common.lang();
    if offered.contains(&lang) || common.format == Format::Json {
        return lang;
    }
    note(
        common,
        &format!("`{command}` has no French text yet: printing English"),
    );
    Lang::En
}

/// Pretty JSON of `value`, ending with a newline.
///
/// # Errors
/// A serialization error (never expected for the crate's types) as a data error.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<String, Failure> {
    let mut s = serde_json::to_string_pretty(value).map_err(Failure::data)?;
    s.push('\n');
    Ok(s)
}

/// Writes the charts a Markdown report refers to (`(path relative to the report, SVG)`) next
/// to `-o FILE`; nothing when the report goes to standard output.
///
/// # Errors
/// A directory or file that cannot be written, named.
pub fn charts_next_to_output(common: &Common, charts: &[(String, String)]) -> Result<(), Failure> {
    let Some(out) = &common.output else {
        return Ok(());
    };
    let dir = out.parent().unwrap_or(Path::new(""));
    for (file, svg) in charts {
        let path = dir.join(file);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| Failure::Data(format!("cannot create {}: {e}", parent.display())))?;
        }
        write_file(&path, svg.as_bytes())?;
    }
    Ok(())
}

/// A note on standard error, unless `--quiet`.
pub fn note(common: &Common, message: &str) {
    if !common.quiet {
        eprintln!("spaser: {message}");
    }
}

/// Writes the report: to `-o FILE` atomically, or to standard output (a closed pipe ends the
/// output quietly).
///
/// # Errors
/// A write error naming the file and the OS reason.
pub fn emit(common: &Common, text: &str) -> Result<(), Failure> {
    match &common.output {
        Some(path) => write_file(path, text.as_bytes()),
        None => write_stdout(text),
    }
}

/// Writes `text` to standard output. A closed pipe (`| head`) is not an error: the output
/// simply stops and the run succeeds.
///
/// # Errors
/// Any other write error.
pub fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(Failure::Data(format!("cannot write the output: {e}")))
        }
        _ => Ok(()),
    }
}

/// Writes `bytes` to `path` atomically: into a temporary file of the same directory, synced,
/// then renamed over `path`. A failed run leaves `path` as it was and no temporary file.
///
/// # Errors
/// The OS reason, naming `path`.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let fail = |e: io::Error| Failure::Data(format!("cannot write {}: {e}", path.display()));
    if path.is_dir() {
        return Err(Failure::Data(format!(
            "cannot write {}: it is a directory",
            path.display()
        )));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let written = File::create_new(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    match written.and_then(|()| fs::rename(&tmp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(fail(e))
        }
    }
}
