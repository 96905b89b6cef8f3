//! `spaser sourcing`: who can supply each planned purchase, what that capacity supports
//! (social and environmental levers, each with its legal basis and reason), the innovative-
//! purchase routes, and a sourcing sheet per prescribing service (French by default).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;
use spaser::sourcing::{
    Directory, DirectoryRead, DirectoryReadOptions, Level, SourcingOptions, SourcingPlan,
    Thresholds,
};
use spaser::{
    BuyerKind, Catalogue, Departement, FileFormat, InnovationRules, LeadTimes, Nature, Programme,
    Rulebook,
};

use crate::{Common, Failure, Format, input, output};

/// Arguments of `spaser sourcing`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "With no argument: the embedded sample programme, the embedded sample directory (fictitious companies) and the sample town's département (49).\nText (the default) and Markdown output: the sourcing sheets, one per prescribing service; HTML: one print-ready file, a sheet per page; JSON: {\"directory\", \"plan\"} (the directory's reading report and SourcingPlan::to_json).\nThe perimeter serves to find capacity, never to restrict competition: no lever or criterion rests on where a company is located."
)]
pub struct Args {
    /// The programme: CSV or JSON [default: the embedded sample]
    #[arg(long, value_name = "FILE")]
    pub programme: Option<PathBuf>,
    /// The supplier directory: CSV, xlsx/xls/ods or JSON (companies only; French or English headers) [default: the embedded sample]
    #[arg(long, value_name = "FILE")]
    pub suppliers: Option<PathBuf>,
    /// The sheet of a workbook directory [default: the first sheet with a header naming the supplier]
    #[arg(long, value_name = "NAME", requires = "suppliers")]
    pub sheet: Option<String>,
    /// The buyer's kind, for a CSV programme
    #[arg(long, value_name = "KIND", value_parser = crate::buyer_kind_parser(), default_value = "other")]
    pub buyer_kind: BuyerKind,
    #[command(flatten)]
    pub perimeter: Perimeter,
    /// Months of sourcing before a launch [default: 2]
    #[arg(long, value_name = "MONTHS")]
    pub sourcing_months: Option<u32>,
    /// The "today" of the sourcing windows [default: today]
    #[arg(long, value_name = "DATE", value_parser = crate::date_parser)]
    pub reference: Option<NaiveDate>,
    /// Only the sheet of this prescribing service
    #[arg(long, value_name = "NAME")]
    pub service: Option<String>,
    /// Also write one Markdown sheet per prescribing service into DIR
    #[arg(long, value_name = "DIR")]
    pub sheets: Option<PathBuf>,
    /// Refuse a directory with rejected rows (exit 1, every rejected row listed)
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub common: Common,
}

/// Where suppliers count, and the ladder's thresholds: shared by `spaser sourcing` and
/// `spaser plan --suppliers`.
#[derive(Debug, Default, clap::Args)]
pub struct Perimeter {
    /// Département where purchases are performed when the programme does not say (repeatable) [default for the sample: 49]
    #[arg(long, value_name = "CODE", value_parser = departement_parser)]
    pub departement: Vec<Departement>,
    /// How far suppliers count for the ladder, for every nature [default: region for works and services, national for supplies]
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub reach: Option<Reach>,
    /// Thresholds of the ladder, JSON (fields left out keep their default)
    #[arg(long, value_name = "FILE")]
    pub thresholds: Option<PathBuf>,
}

impl Perimeter {
    /// Whether any perimeter option was given.
    pub fn given(&self) -> bool {
        !self.departement.is_empty() || self.reach.is_some() || self.thresholds.is_some()
    }

    /// The sourcing options of these arguments; `sample` (the embedded sample programme) makes
    /// the sample town's département (49) the default.
    pub fn options(&self, sample: bool) -> Result<SourcingOptions, Failure> {
        let mut options = SourcingOptions::default();
        let departements: Vec<Departement> = if self.departement.is_empty() && sample {
            vec!["49".parse()?]
        } else {
            self.departement.clone()
        };
        for d in departements {
            options = options.departement(d);
        }
        if let Some(reach) = self.reach {
            let level = match reach {
                Reach::Departement => Level::Departement,
                Reach::Region => Level::Region,
                Reach::National => Level::National,
            };
            for n in Nature::ALL {
                options = options.reach(n, level);
            }
        }
        if let Some(path) = &self.thresholds {
            let t = Thresholds::from_json(&input::text(path)?)
                .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))?;
            options = options.thresholds(t);
        }
        Ok(options)
    }
}

/// `--reach` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Reach {
    /// The département(s) where the purchase is performed
    Departement,
    /// Their region(s)
    Region,
    /// The whole country
    National,
}

fn departement_parser(text: &str) -> Result<Departement, String> {
    text.parse::<Departement>().map_err(|e| e.to_string())
}

/// The `--format json` document.
#[derive(Serialize)]
struct SourcingJson<'a> {
    directory: DirectorySummary<'a>,
    plan: &'a SourcingPlan,
}

/// The directory's reading report (without the suppliers themselves).
#[derive(Serialize)]
struct DirectorySummary<'a> {
    rows: usize,
    accepted: usize,
    rejected: &'a [spaser::sourcing::RowIssue],
    warnings: &'a [spaser::sourcing::RowIssue],
    ignored_columns: &'a [String],
}

/// Reads the supplier directory named on the command line (format from the extension, else
/// sniffed).
fn load_directory(path: &Path, sheet: Option<&str>) -> Result<DirectoryRead, Failure> {
    let bytes = input::bytes(path)?;
    let mut options = DirectoryReadOptions::default();
    if let Some(f) = FileFormat::from_path(path) {
        options = options.format(f);
    }
    if let Some(s) = sheet {
        options = options.sheet(s);
    }
    Directory::read(&bytes, &options).map_err(|e| Failure::Data(format!("{}: {e}", path.display())))
}

/// Reads the supplier directory `path` names, or the embedded sample directory: notes the
/// reading report (for a file) and every rejected row; with `strict` (the option that asked for
/// it, named in the error), rejected rows are an error.
pub fn read_directory(
    path: Option<&Path>,
    sheet: Option<&str>,
    strict: Option<&str>,
    common: &Common,
) -> Result<DirectoryRead, Failure> {
    let read = match path {
        Some(path) => load_directory(path, sheet)?,
        None => Directory::read_csv(include_bytes!("../../data/sample_suppliers.csv"))?,
    };
    let shown = path.map_or_else(
        || "sample directory".to_string(),
        |p| p.display().to_string(),
    );
    if path.is_some() {
        output::note(
            common,
            &format!(
                "{shown}: {} rows, {} suppliers, {} rejected, {} warnings",
                read.rows,
                read.accepted,
                read.rejected.len(),
                read.warnings.len()
            ),
        );
    }
    for r in &read.rejected {
        output::note(common, &format!("{shown}: {r}"));
    }
    if let (Some(flag), false) = (strict, read.rejected.is_empty()) {
        let n = read.rejected.len();
        return Err(Failure::Data(format!(
            "{shown}: {n} {} rejected ({flag}): {}",
            if n == 1 { "row" } else { "rows" },
            read.rejected
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    Ok(read)
}

/// Runs `spaser sourcing`.
pub fn run(args: &Args) -> Result<(), Failure> {
    let common = &args.common;
    output::check_format(
        common,
        "sourcing",
        &[Format::Text, Format::Markdown, Format::Html, Format::Json],
    )?;
    let sample = args.programme.is_none();
    let programme = match &args.programme {
        Some(path) => crate::programme::load(path, args.buyer_kind)?,
        None => Programme::sample().clone(),
    };
    let read = read_directory(
        args.suppliers.as_deref(),
        args.sheet.as_deref(),
        args.strict.then_some("--strict"),
        common,
    )?;
    let options = args.perimeter.options(sample)?;
    let mut lead = LeadTimes::default();
    if let Some(m) = args.sourcing_months {
        lead = lead.sourcing(m);
    }
    let reference = match args.reference {
        Some(d) => d,
        None => crate::today()?,
    };
    let plan = SourcingPlan::build(
        &programme,
        &read.directory,
        Catalogue::embedded(),
        Rulebook::embedded(),
        InnovationRules::embedded(),
        &options,
        &lead,
        reference,
    )?;
    if let Some(service) = &args.service {
        if !plan.services().contains(&service.as_str()) {
            return Err(Failure::Usage(format!(
                "--service \"{service}\" has no purchase to source; services: {}",
                plan.services()
                    .iter()
                    .map(|s| format!("\"{s}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let lang = common.lang().lib();
    if let Some(dir) = &args.sheets {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::Data(format!("cannot create {}: {e}", dir.display())))?;
        for (service, md) in plan.sheets_markdown(lang) {
            let file = dir.join(format!("{}.md", slug(&service, lang == spaser::Lang::En)));
            output::write_file(&file, format!("{md}\n").as_bytes())?;
        }
    }
    let text = match common.format {
        Format::Json => output::json(&SourcingJson {
            directory: DirectorySummary {
                rows: read.rows,
                accepted: read.accepted,
                rejected: &read.rejected,
                warnings: &read.warnings,
                ignored_columns: &read.ignored_columns,
            },
            plan: &plan,
        })?,
        Format::Html => match &args.service {
            Some(s) => plan.sheet_html(s, lang),
            None => plan.sheets_html(lang),
        },
        _ => {
            let sheets: Vec<String> = match &args.service {
                Some(s) => vec![plan.sheet_markdown(s, lang)],
                None => plan
                    .sheets_markdown(lang)
                    .into_iter()
                    .map(|(_, md)| md)
                    .collect(),
            };
            let mut t = sheets.join("\n\n---\n\n");
            t.push('\n');
            t
        }
    };
    output::emit(common, &text)
}

/// A file name for a service's sheet: `fiche-sourcage-moyens-generaux`.
fn slug(service: &str, en: bool) -> String {
    let mut s = String::from(if en {
        "sourcing-sheet-"
    } else {
        "fiche-sourcage-"
    });
    let name = if service.is_empty() {
        if en { "no-service" } else { "sans-service" }
    } else {
        service
    };
    let mut dash = false;
    for c in name.chars() {
        let c = match c {
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => 'e',
            'à' | 'â' | 'À' | 'Â' => 'a',
            'î' | 'ï' | 'Î' => 'i',
            'ô' | 'Ô' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' | 'Ç' => 'c',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash {
            s.push('-');
            dash = true;
        }
    }
    s.trim_end_matches('-').to_string()
}
