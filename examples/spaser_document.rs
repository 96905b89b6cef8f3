//! Example `spaser_document` — the SPASER document a French buyer publishes, and the sheets of
//! its prescribing services: the plan of the embedded sample programme written in six parts, in
//! French (or English), as Markdown, one self-contained HTML file, or JSON.
//!
//! ```sh
//! cargo run --example spaser_document                          # French Markdown
//! cargo run --example spaser_document -- --html > spaser.html  # print-ready HTML
//! cargo run --example spaser_document -- --lang en --json       # English, as data
//! cargo run --example spaser_document -- --out spaser/          # everything in a folder:
//! #   spaser.md (charts in graphiques/), spaser.html, spaser.json, fiches.html and
//! #   fiches/fiche-<service>.md|.html, one sheet per prescribing service
//! cargo run --release --example spaser_document -- --synthetic 100000 --seed 7 --html > big.html
//! ```
//!
//! With no argument: the embedded sample programme, the default targets for it, the embedded
//! catalogue and rulebook, a facilitator capacity of 3,000 insertion hours a year, no document
//! date. `--date YYYY-MM-DD` dates the document (and the calendar's reference). `--synthetic N
//! --seed S` plans the generated programme of `spaser_plan --synthetic` (binding insertion
//! capacity, the two synthetic targets) instead of the sample.

use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use spaser::document::{Document, DocumentInput};
use spaser::{BuyerKind, Catalogue, Lang, PlanOptions, Planner, Programme, Rulebook, Targets};

#[path = "support/output.rs"]
mod output;

#[derive(Default)]
struct Args {
    lang: Lang,
    html: bool,
    json: bool,
    out: Option<String>,
    date: Option<NaiveDate>,
    synthetic: Option<usize>,
    seed: u64,
}

const USAGE: &str = "usage: spaser_document [--lang fr|en] [--html | --json | --out DIR] [--date YYYY-MM-DD] [--synthetic N --seed S]";

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        seed: 1,
        ..Args::default()
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--html" => a.html = true,
            "--json" => a.json = true,
            "--lang" => {
                a.lang = value("--lang")?
                    .parse()
                    .map_err(|e: spaser::Error| e.to_string())?
            }
            "--out" => a.out = Some(value("--out")?),
            "--date" => {
                let v = value("--date")?;
                a.date = Some(
                    NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                        .map_err(|_| format!("--date \"{v}\" is not a date YYYY-MM-DD"))?,
                );
            }
            "--synthetic" => {
                let v = value("--synthetic")?;
                a.synthetic = Some(
                    v.parse()
                        .map_err(|_| format!("--synthetic \"{v}\" is not a count"))?,
                );
            }
            "--seed" => {
                let v = value("--seed")?;
                a.seed = v
                    .parse()
                    .map_err(|_| format!("--seed \"{v}\" is not a number"))?;
            }
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(a)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes the document, its charts and its sheets into `dir`.
fn write_all(doc: &Document, dir: &Path) -> Result<(), String> {
    write(&dir.join("spaser.md"), &doc.to_markdown())?;
    write(&dir.join("spaser.html"), &doc.to_html())?;
    write(
        &dir.join("spaser.json"),
        &(doc.to_json().map_err(|e| e.to_string())? + "\n"),
    )?;
    for c in doc.charts() {
        write(&dir.join(&c.file), &c.svg)?;
    }
    let sheets = dir.join(match doc.lang() {
        Lang::Fr => "fiches",
        _ => "sheets",
    });
    for s in doc.sheets() {
        write(
            &sheets.join(format!("{}.md", s.file_stem())),
            &s.to_markdown(),
        )?;
        write(
            &sheets.join(format!("{}.html", s.file_stem())),
            &s.to_html(),
        )?;
    }
    write(&sheets.with_extension("html"), &doc.sheets_html())
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let rulebook = Rulebook::embedded();
    let programme = match args.synthetic {
        Some(n) => spaser::synthetic_programme(n, args.seed, BuyerKind::OtherContractingAuthority)
            .map_err(|e| e.to_string())?,
        None => Programme::sample().clone(),
    };
    let mut targets = Targets::defaults_for(&programme, rulebook);
    let planner = Planner::new(Catalogue::embedded(), rulebook);
    let options = match args.synthetic {
        // as `spaser_plan --synthetic`: the binding capacity and the two synthetic targets
        Some(_) => {
            let o = planner
                .binding_capacity(&programme, &targets, PlanOptions::default())
                .map_err(|e| e.to_string())?;
            let extra = spaser::synthetic_targets().map_err(|e| e.to_string())?;
            targets.targets.extend(extra.targets);
            o
        }
        None => PlanOptions::default().capacity_every_year(Decimal::from(3000)),
    };
    let plan = planner
        .plan(&programme, &targets, &options)
        .map_err(|e| e.to_string())?;
    let mut input = DocumentInput::new(&programme).lang(args.lang);
    if let Some(d) = args.date {
        input = input.date(d);
    }
    let doc = Document::new(&plan, &input).map_err(|e| e.to_string())?;
    if let Some(dir) = &args.out {
        return write_all(&doc, Path::new(dir));
    }
    let text = if args.json {
        doc.to_json().map_err(|e| e.to_string())? + "\n"
    } else if args.html {
        doc.to_html()
    } else {
        doc.to_markdown() + "\n"
    };
    output::write_stdout(&text)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("spaser_document: {e}");
            ExitCode::FAILURE
        }
    }
}
