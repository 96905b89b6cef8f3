//! `spaser`, the command: the crate's jobs for buyers, facilitators and analysts, learnt from
//! `--help`.
//!
//! ```sh
//! spaser plan                          # the SPASER plan of the embedded sample programme
//! spaser programme my_programme.csv --obligations
//! spaser decp decp-2025.json --format json
//! spaser maturity assessment.json --previous last_year.json
//! spaser rules --date 2026-09-01
//! ```
//!
//! Behaviour: `--help` / `--version` print on standard output and exit 0; an unknown option or a
//! bad value exits 2 with one line naming it and the usage (clap's errors); a data error exits 1
//! with the library's message (file, line, field, value); a closed output pipe ends quietly;
//! `-o FILE` writes atomically (a temporary file in the same directory, then a rename).
//!
//! # Layout, and how to add a subcommand
//!
//! This file holds the top-level [`Cli`], the [`Command`] enum, the dispatch, the exit codes and
//! the options shared by the subcommands ([`Common`], [`buyer_kind_parser`], [`date_parser`],
//! [`today`]). Each subcommand lives in its own file with:
//! - `pub struct Args` (clap `Args` derive; `#[command(flatten)] pub common: Common` when it
//!   prints a report);
//! - `pub fn run(args: &Args) -> Result<(), Failure>`: one function that builds the library's
//!   inputs from the arguments (the seam where new input formats plug in), one call per library
//!   job, then [`output::emit`].
//!
//! To add `follow-up`, `lcc`, `sourcing`, … : write `src/bin/spaser/NAME.rs` in that shape, add
//! `mod NAME;` below, one variant to [`Command`] (its doc comment is the line of `--help`) and
//! one arm to [`dispatch`]; add the subcommand to `tests/cli.rs` (`SUBCOMMANDS`), to `.ci/run`
//! and to `docs/cli.md`. Nothing else changes.
//!
//! The library never reads the clock: "today" is read here, once ([`today`]).

use std::process::ExitCode;

use chrono::NaiveDate;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use spaser::BuyerKind;

mod agec;
mod completions;
mod decp;
mod egalim;
mod follow_up;
mod input;
mod lcc;
mod maturity;
mod output;
mod plan;
mod programme;
mod rules;
mod sourcing;

/// The language of text output when `--lang` is not given: French, the language of the SPASER
/// document a French buyer publishes (issue 16).
pub const DEFAULT_LANG: Lang = Lang::Fr;

/// Plan sustainable public purchasing in France: purchasing programme and procedures, SPASER
/// plan, realised indicators from DECP, maturity, and the rules in force.
#[derive(Debug, Parser)]
#[command(name = "spaser", version, propagate_version = true)]
#[command(arg_required_else_help = true, subcommand_required = true)]
#[command(
    after_help = "Exit status: 0 success, 1 data error (the message names the file, line, field and value), 2 usage error.\nEvery subcommand runs on embedded sample data when given no file."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands; one variant per file of `src/bin/spaser/`.
// parsed once per run: the size of the largest variant does not matter
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Estimate a purchasing programme: family values, procedures, renewal calendar, obligations
    Programme(programme::Args),
    /// Compute the SPASER plan (levers on purchases) and print its report — the main job
    Plan(plan::Args),
    /// Realised indicators from DECP files (the open data of awarded contracts)
    Decp(decp::Args),
    /// Score a maturity assessment, list the next actions, show the progress since the last one
    Maturity(maturity::Args),
    /// Follow the plan: which planned purchase became which contract, the yearly SPASER review,
    /// the landing forecast
    FollowUp(follow_up::Args),
    /// The thresholds and obligations in force on a date, with article and confidence
    Rules(rules::Args),
    /// Life-cycle cost of the offers of a tender, by cost item and year, and their scores
    Lcc(lcc::Args),
    /// The yearly AGEC art. 58 table: reuse and recycled-content shares of the 17 categories
    Agec(agec::Args),
    /// The yearly EGalim table per restaurant: sustainable and quality food, organic, meat and fish
    Egalim(egalim::Args),
    /// Who can supply each purchase, which levers that capacity supports, sourcing sheets
    Sourcing(sourcing::Args),
    /// Print a shell completion script (bash, zsh, fish)
    Completions(completions::Args),
}

/// Why a run failed, and so its exit status.
#[derive(Debug)]
pub enum Failure {
    /// Arguments that parse but do not fit together (exit 2, with the usage).
    Usage(String),
    /// Bad data, a missing or unreadable file, a library error (exit 1).
    Data(String),
}

impl Failure {
    /// A data error from any displayable cause.
    pub fn data(e: impl std::fmt::Display) -> Failure {
        Failure::Data(e.to_string())
    }
}

impl From<spaser::Error> for Failure {
    fn from(e: spaser::Error) -> Failure {
        Failure::Data(e.to_string())
    }
}

/// Output format (`--format`). Each subcommand says which ones it offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for a person (a table, or the Markdown report for `plan`)
    Text,
    /// JSON: the library's serialization of the result, with every field
    Json,
    /// Markdown
    Markdown,
    /// HTML
    Html,
    /// CSV (`;`-separated), for the tables of the yearly declarations
    Csv,
}

impl Format {
    /// The name as typed on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Csv => "csv",
        }
    }
}

/// Language of text output (`--lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// French
    Fr,
    /// English
    En,
}

impl Lang {
    /// The library's language.
    pub fn lib(self) -> spaser::Lang {
        match self {
            Lang::Fr => spaser::Lang::Fr,
            Lang::En => spaser::Lang::En,
        }
    }
}

/// Options shared by the subcommands that print a report.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Language of text output [default: fr; English for the subcommands without French text]
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Write the output to FILE (atomically: nothing is left behind if the run fails)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Print nothing on standard error but errors
    #[arg(short, long)]
    pub quiet: bool,
}

impl Common {
    /// The language asked for, or [`DEFAULT_LANG`].
    pub fn lang(&self) -> Lang {
        self.lang.unwrap_or(DEFAULT_LANG)
    }
}

/// The `--buyer-kind` values: the column of EU thresholds that applies to the buyer.
pub fn buyer_kind_parser() -> impl TypedValueParser<Value = BuyerKind> {
    PossibleValuesParser::new([
        PossibleValue::new("central")
            .alias("central_government")
            .help("central government (State ministries and services)"),
        PossibleValue::new("other")
            .alias("other_contracting_authority")
            .help("any other contracting authority (local authorities, hospitals…)"),
        PossibleValue::new("utility")
            .alias("utilities")
            .help("a utility (entité adjudicatrice)"),
        PossibleValue::new("defence")
            .aliases(["defense", "defence_security"])
            .help("defence or security contracts"),
    ])
    .try_map(|s: String| s.parse::<BuyerKind>())
}

/// Dates on the command line: `2026-09-01` (or `01/09/2026`), years 1990–2100.
pub fn date_parser(text: &str) -> Result<NaiveDate, String> {
    spaser::parse_date(text).map_err(|e| e.to_string())
}

/// Today's date (UTC) from the system clock: the only clock read of the crate.
pub fn today() -> Result<NaiveDate, Failure> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| Failure::Data(format!("the system clock is before 1970: {e}")))?
        .as_secs();
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX);
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|epoch| epoch.checked_add_signed(chrono::Duration::days(days)))
        .ok_or_else(|| Failure::Data("the system clock is out of range".into()))
}

/// Runs the subcommand.
fn dispatch(command: &Command) -> Result<(), Failure> {
    match command {
        Command::Programme(a) => programme::run(a),
        Command::Plan(a) => plan::run(a),
        Command::Decp(a) => decp::run(a),
        Command::Maturity(a) => maturity::run(a),
        Command::FollowUp(a) => follow_up::run(a),
        Command::Rules(a) => rules::run(a),
        Command::Lcc(a) => lcc::run(a),
        Command::Agec(a) => agec::run(a),
        Command::Egalim(a) => egalim::run(a),
        Command::Sourcing(a) => sourcing::run(a),
        Command::Completions(a) => completions::run(a),
    }
}

/// The name of the subcommand, for its usage line.
fn name(command: &Command) -> &'static str {
    match command {
        Command::Programme(_) => "programme",
        Command::Plan(_) => "plan",
        Command::Decp(_) => "decp",
        Command::Maturity(_) => "maturity",
        Command::FollowUp(_) => "follow-up",
        Command::Rules(_) => "rules",
        Command::Lcc(_) => "lcc",
        Command::Agec(_) => "agec",
        Command::Egalim(_) => "egalim",
        Command::Sourcing(_) => "sourcing",
        Command::Completions(_) => "completions",
    }
}

/// Prints a clap error and exits (0 for help and version, 2 otherwise). Clap leaves the usage
/// out of some errors (a bad value among possible values): every usage error here shows the
/// usage of the subcommand typed.
fn usage_error(e: clap::Error) -> ! {
    if !e.use_stderr() {
        e.exit()
    }
    let mut text = e.render().to_string();
    if !text.contains("Usage:") {
        let mut cmd = Cli::command();
        cmd.build();
        // (`args_os`: an argument that is not UTF-8 is skipped, never a panic)
        let typed = std::env::args_os()
            .skip(1)
            .filter_map(|a| a.into_string().ok())
            .find(|a| cmd.find_subcommand(a).is_some());
        let usage = match typed.and_then(|a| cmd.find_subcommand_mut(&a)) {
            Some(sub) => sub.render_usage(),
            None => cmd.render_usage(),
        };
        let at = text.find("\nFor more information").unwrap_or(text.len());
        text.insert_str(at, &format!("\n{usage}\n"));
    }
    eprint!("{text}");
    std::process::exit(e.exit_code())
}

fn main() -> ExitCode {
    // Exits 0 for --help / --version (stdout), 2 for usage errors (stderr, with the usage).
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => usage_error(e),
    };
    match dispatch(&cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            // The same shape as clap's own errors: one line naming the problem, the usage of
            // the subcommand, exit 2.
            let mut cmd = Cli::command();
            cmd.build();
            let sub = name(&cli.command);
            let err = match cmd.find_subcommand_mut(sub) {
                Some(s) => s.error(clap::error::ErrorKind::ArgumentConflict, message),
                None => cmd.error(clap::error::ErrorKind::ArgumentConflict, message),
            };
            err.exit()
        }
        Err(Failure::Data(message)) => {
            eprintln!("spaser: {message}");
            ExitCode::FAILURE
        }
    }
}
