//! `spaser rules`: the thresholds and obligations in force on a date, from the rulebook, each
//! with its article and confidence — what the crate believes, for a buyer to check.

use chrono::NaiveDate;
use spaser::{BuyerKind, Rulebook};

use crate::{Common, Failure, Format, Lang, output};

/// Arguments of `spaser rules`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Text in French (--lang en: English); confidence: V verified in the legal text, S from a secondary source, ? an unestablished default to check.\nJSON: RulesInForce {\"date\", \"buyer_kind\", \"rules\"}, where \"rules\" is in the rulebook's own format (see docs/cli.md)."
)]
pub struct Args {
    /// The launch date of a consultation [default: today]
    #[arg(long, value_name = "DATE", value_parser = crate::date_parser)]
    pub date: Option<NaiveDate>,
    /// Only the EU thresholds of this kind of buyer [default: every kind]
    #[arg(long, value_name = "KIND", value_parser = crate::buyer_kind_parser())]
    pub buyer_kind: Option<BuyerKind>,
    #[command(flatten)]
    pub common: Common,
}

/// Runs `spaser rules`.
pub fn run(args: &Args) -> Result<(), Failure> {
    output::check_format(&args.common, "rules", &[Format::Text, Format::Json])?;
    let lang = output::text_lang(&args.common, "rules", &[Lang::Fr, Lang::En]).lib();
    let date = match args.date {
        Some(d) => d,
        None => crate::today()?,
    };
    let now = Rulebook::embedded().in_force(date, args.buyer_kind);
    let text = match args.common.format {
        Format::Json => output::json(&now)?,
        _ => now.to_text(lang),
    };
    output::emit(&args.common, &text)
}
