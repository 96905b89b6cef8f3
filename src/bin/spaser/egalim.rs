//! `spaser egalim`: the yearly EGalim table per restaurant (CRPM L230-5-1) — sustainable and
//! quality food of which organic, and meat and fish, against the rates of the year.

use std::path::PathBuf;

use spaser::Rulebook;
use spaser::declarations::EgalimDeclaration;

use crate::{Common, Failure, Format, Lang, input, output};

/// Arguments of `spaser egalim`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "With no FILE: the embedded sample (three restaurants in 2025).\nFILE: a CSV per restaurant — restaurant, year, total, quality and organic, or the ma-cantine categories (value_total_ht, value_bio_ht, value_sustainable_ht, value_externality_performance_ht, value_egalim_others_ht), and meat and fish when tracked.\nCSV output: the ma-cantine field names where they map, shares, rates and statuses (met, not_met, unknown, not_applicable)."
)]
pub struct Args {
    /// Food purchases per restaurant, CSV
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The calendar year [default: the file's only year]
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    #[command(flatten)]
    pub common: Common,
}

/// Runs `spaser egalim`.
pub fn run(args: &Args) -> Result<(), Failure> {
    output::check_format(
        &args.common,
        "egalim",
        &[Format::Text, Format::Markdown, Format::Json, Format::Csv],
    )?;
    let lang = output::text_lang(&args.common, "egalim", &[Lang::Fr, Lang::En]).lib();
    let rules = Rulebook::embedded();
    let table = match &args.file {
        Some(path) => EgalimDeclaration::from_csv(input::bytes(path)?.as_slice(), args.year, rules)
            .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))?,
        None => EgalimDeclaration::sample(rules)?,
    };
    for n in &table.notes {
        output::note(&args.common, n);
    }
    let text = match args.common.format {
        Format::Json => {
            let mut s = table.to_json()?;
            s.push('\n');
            s
        }
        Format::Csv => table.to_csv(),
        _ => table.to_markdown(lang),
    };
    output::emit(&args.common, &text)
}
