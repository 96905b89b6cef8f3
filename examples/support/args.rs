//! The one argument the examples take: an optional file path.

/// The file named on the command line, if any. Anything starting with `-` (an option: the
/// examples have none, `spaser` has them) or a second argument is refused with exit 2 and the
/// usage line.
pub fn file_arg(usage: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() > 1 || args.iter().any(|a| a.starts_with('-')) {
        eprintln!(
            "usage: {usage}\n(options live in the `spaser` command: cargo run --features cli -- --help)"
        );
        std::process::exit(2);
    }
    args.into_iter().next()
}
