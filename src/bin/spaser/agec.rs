//! `spaser agec`: the yearly AGEC art. 58 table (décret 2024-134) — the 17 product categories
//! × total spend, reuse, recycled content, shares, the rates of the year with their confidence,
//! and met / not met / unknown — from a spend file, DECP contracts or a plan's projection.

use std::path::PathBuf;

use chrono::Datelike;
use clap::ValueEnum;
use rust_decimal::Decimal;
use spaser::declarations::AgecDeclaration;
use spaser::{
    Buyer, BuyerKind, BuyerStatus, Catalogue, PlanOptions, Planner, Programme, Rulebook, Siret,
    Targets,
};

use crate::{Common, Failure, Format, Lang, input, output};

/// The buyer's legal status (`--status`): AGEC art. 58 binds the State, local authorities and
/// their groupings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    /// The State
    State,
    /// A public establishment of the State
    StatePublicEstablishment,
    /// A local authority or grouping of local authorities
    LocalAuthority,
    /// A public health establishment
    Hospital,
    /// A buyer whose status is set by law
    StatutoryBody,
    /// Another contracting authority
    OtherContractingAuthority,
    /// A utility
    Utility,
    /// The defence
    Defence,
}

impl StatusArg {
    fn status(self) -> BuyerStatus {
        match self {
            StatusArg::State => BuyerStatus::State,
            StatusArg::StatePublicEstablishment => BuyerStatus::StatePublicEstablishment,
            StatusArg::LocalAuthority => BuyerStatus::LocalAuthority,
            StatusArg::Hospital => BuyerStatus::Hospital,
            StatusArg::StatutoryBody => BuyerStatus::StatutoryBody,
            StatusArg::OtherContractingAuthority => BuyerStatus::OtherContractingAuthority,
            StatusArg::Utility => BuyerStatus::Utility,
            StatusArg::Defence => BuyerStatus::Defence,
        }
    }
}

/// Arguments of `spaser agec`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "With no SPEND and no --decp: the projection of the SPASER plan of the programme (--programme, default the embedded sample) for --year (default its first year).\nSPEND: a CSV per category in the columns of the official declaration schema (type_produit_acquis, montant_total, montant_reemploi_et_reutilisation, montant_produits_issus_don, montant_produits_recycles) or category;total;reuse;recycled. An empty reuse or recycled cell is unknown.\n--decp: the buyer's contracts notified in the year; reuse and recycled content are known through the planned lines they are linked to (with --programme).\nA rate that is not established, or an amount that is not known, prints unknown, never met. --format csv is the table; --declaration writes the rows in the official declaration schema instead."
)]
pub struct Args {
    /// The buyer's spend per category for the year, CSV
    #[arg(value_name = "SPEND")]
    pub file: Option<PathBuf>,
    /// The calendar year of the spend
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    /// A DECP file of the buyer's awarded contracts instead of a spend file (JSON or XML, 2019
    /// or 2024 format, the consolidated CSV or Parquet)
    #[arg(long, value_name = "FILE", conflicts_with = "file")]
    pub decp: Option<PathBuf>,
    /// The programme whose plan projects (or links the DECP contracts): CSV or JSON [default: the embedded sample]
    #[arg(long, value_name = "FILE")]
    pub programme: Option<PathBuf>,
    /// The buyer's status (the scope of AGEC art. 58) [default: the programme's, else unknown]
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    /// The buyer's name [default: the programme's or the file's]
    #[arg(long, value_name = "NAME")]
    pub buyer: Option<String>,
    /// The buyer's SIRET (selects its DECP contracts; required by the declaration schema)
    #[arg(long, value_name = "SIRET")]
    pub siret: Option<String>,
    /// Print the rows in the official declaration schema (data.gouv.fr), comma-separated
    #[arg(long)]
    pub declaration: bool,
    #[command(flatten)]
    pub common: Common,
}

fn buyer(args: &Args, programme: Option<&Programme>) -> Result<Buyer, Failure> {
    let mut b = match programme {
        Some(p) => p.buyer.clone(),
        None => Buyer::new(String::new(), BuyerKind::OtherContractingAuthority),
    };
    if let Some(s) = args.status {
        b.status = Some(s.status());
    }
    if let Some(n) = &args.buyer {
        b.name = n.clone();
    }
    if let Some(s) = &args.siret {
        b.siret = Some(Siret::parse(s).map_err(|e| Failure::Usage(format!("--siret: {e}")))?);
    }
    Ok(b)
}

fn plan_of(programme: &Programme) -> Result<spaser::Plan, Failure> {
    let rules = Rulebook::embedded();
    let targets = Targets::defaults_for(programme, rules);
    Ok(Planner::new(Catalogue::embedded(), rules).plan(
        programme,
        &targets,
        &PlanOptions::default().capacity_every_year(Decimal::from(3000)),
    )?)
}

/// Runs `spaser agec`.
pub fn run(args: &Args) -> Result<(), Failure> {
    output::check_format(
        &args.common,
        "agec",
        &[Format::Text, Format::Markdown, Format::Json, Format::Csv],
    )?;
    let lang = output::text_lang(&args.common, "agec", &[Lang::Fr, Lang::En]).lib();
    let rules = Rulebook::embedded();
    let load_programme = || match &args.programme {
        Some(path) => crate::programme::load(path, BuyerKind::OtherContractingAuthority),
        None => Ok(Programme::sample().clone()),
    };
    let table = if let Some(path) = &args.file {
        let year = args.year;
        let b = buyer(args, None)?;
        AgecDeclaration::from_spend_csv(input::bytes(path)?.as_slice(), year, &b, rules)
            .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))?
    } else if let Some(path) = &args.decp {
        let Some(year) = args.year else {
            return Err(Failure::Usage("--decp needs --year".into()));
        };
        let mut options = spaser::decp::Options::totals_only()
            .full(true)
            .contracts(true);
        let siret = buyer(args, None)?.siret;
        if let Some(s) = &siret {
            options = options.filter(crate::decp::buyer_filter(s));
        }
        let data = crate::decp::read(&[path], options)?;
        if let Some(note) = crate::decp::left_out_by_buyer(&data, spaser::Lang::En) {
            output::note(&args.common, &note);
        }
        let linked = match &args.programme {
            Some(_) => {
                let programme = load_programme()?;
                let plan = plan_of(&programme)?;
                Some((programme, plan))
            }
            None => None,
        };
        let b = buyer(args, linked.as_ref().map(|(p, _)| p))?;
        let links = linked
            .as_ref()
            .map(|(p, plan)| (p, plan, Catalogue::embedded()));
        AgecDeclaration::from_decp(&data.contracts, &b, year, rules, links)?
    } else {
        let mut programme = load_programme()?;
        let b = buyer(args, Some(&programme))?;
        programme.buyer = b;
        let year = match args.year {
            Some(y) => y,
            None => programme
                .lines
                .iter()
                .map(|l| l.launch_date.year())
                .min()
                .ok_or_else(|| Failure::Data("the programme has no line".into()))?,
        };
        let plan = plan_of(&programme)?;
        AgecDeclaration::from_plan(&programme, &plan, Catalogue::embedded(), rules, year)?
    };
    for n in &table.notes {
        output::note(&args.common, n);
    }
    let text = if args.declaration {
        table.to_declaration_csv()?
    } else {
        match args.common.format {
            Format::Json => {
                let mut s = table.to_json()?;
                s.push('\n');
                s
            }
            Format::Csv => table.to_csv(),
            _ => table.to_markdown(lang),
        }
    };
    output::emit(&args.common, &text)
}
