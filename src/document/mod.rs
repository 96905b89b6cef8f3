//! The SPASER document a French buyer publishes, and the sheets that bring its prescribing
//! services on board.
//!
//! [`Plan::document`](crate::Plan::document) (or [`Document::new`] with a
//! [`DocumentInput`]) writes a plan as the scheme French buyers publish, in French by default
//! ([`Lang`]), in six parts:
//!
//! 1. *Contexte et obligations*: the buyer, whether the SPASER is required (the law's verdict
//!    on its yearly expenditure, with article), the period, the obligations of the period, one
//!    paragraph each with article and date;
//! 2. *État des lieux*: indicators of past years and the maturity score when given;
//! 3. *Axes et objectifs*: social, environmental, innovation; each target with its indicator,
//!    trajectory, projection, whether it is met, in plain words, and its chart;
//! 4. *Plan d'actions*: per family the levers to include and a table of its purchases (service,
//!    launch date, procedure, levers and why), the model wording and the evidence to require;
//!    repeated findings grouped, one sentence per cause;
//! 5. *Gouvernance et suivi*: who follows what, the indicators and how they are measured (DECP
//!    fields), the calendar of the yearly follow-up;
//! 6. *Annexes*: obligations per purchase, the method (the only place of the optimiser's
//!    figures), the sources and confidence of every legal figure, and the prescriber sheets.
//!
//! Outputs: [`Document::to_markdown`] (charts referenced as `graphiques/….svg` in French, `charts/….svg` in English, see
//! [`Document::charts`]), [`Document::to_html`] (one self-contained, print-ready, accessible
//! file), [`Document::to_json`] (the same content as data), and [`Document::sheets`] (one
//! sheet per prescribing service, each in Markdown or HTML). Every sentence comes from the
//! message catalogue ([`Messages`](crate::Messages)); the same inputs give the same bytes.
//!
//! # JSON document
//!
//! An object with `lang`, `title`, `date`, `buyer` (`name`, `siret`, `kind`, `status`,
//! `departement`, `expenditure` by year), `period` (`first_year`, `last_year`), `spaser`
//! (`basis`: `expenditure` or `programme_estimate`; `verdict`: `required`, `not_required` or
//! `unknown`; `year`, `amount`, `threshold`, `article`, `confidence`), `obligations` (`id`,
//! dated `articles`, `confidence`, `purchases`), `baseline`, `targets` (`id`, `label`,
//! `indicator`, `source`, `dimension`, `basis`, `years` with `goal`, `projected`, `met`,
//! `shortfall`, `cause`, and `realised`), `projected` (standard indicators by year),
//! `actions` (`lines`: every purchase with `family`, `service`, `launch_date`, `launch_by`,
//! `sourcing_by`, `procedure`, `levers` with the `obligations` and `targets` each serves,
//! `insertion_hours`, `obligations`; `families`; hours per year), `levers` (label, kind,
//! `wording`, `legal_reference`, `evidence`), `findings` (one group per obligation and status
//! with its purchases, families and services), `sheets`, `method` and `sources`. Amounts and
//! shares are strings; texts are in the document's language.
//!
//! May import: every layer below it.

mod charts;
mod data;
mod input;
mod parts;
mod pieces;
mod sheets;

pub use input::DocumentInput;

use crate::error::{Error, ErrorKind, Result};
use crate::plan::planner::Plan;
use crate::programme::model::Programme;
use crate::render::blocks::{Block, Break, Doc, shift};
use crate::render::{html, markdown};
use crate::values::lang::Lang;

use crate::render::ctx::Ctx;
use data::Data;

/// The SPASER document of a plan, with its prescriber sheets.
///
/// ```
/// use spaser::{Catalogue, Lang, PlanOptions, Planner, Programme, Rulebook, Targets};
/// let programme = Programme::sample();
/// let targets = Targets::defaults_for(programme, Rulebook::embedded());
/// let plan = Planner::new(Catalogue::embedded(), Rulebook::embedded())
///     .plan(programme, &targets, &PlanOptions::default())?;
/// let doc = plan.document(programme, Lang::Fr)?;
/// assert!(doc.to_markdown().contains("## 1. Contexte et obligations"));
/// assert!(doc.to_html().starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
/// assert!(doc.sheets().iter().any(|s| s.title() == "Fiche service prescripteur — Bâtiments"));
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Document {
    data: Data,
    main: Doc,
    sheets: Vec<Sheet>,
    sheets_title: String,
}

/// The sheet of one prescribing service.
#[derive(Debug, Clone)]
pub struct Sheet {
    service: Option<String>,
    file_stem: String,
    title: String,
    doc: Doc,
}

impl Sheet {
    /// The service (`None` for the purchases without service).
    pub fn service(&self) -> Option<&str> {
        self.service.as_deref()
    }

    /// A file name without extension for the sheet (`fiche-batiments`).
    pub fn file_stem(&self) -> &str {
        &self.file_stem
    }

    /// Its title (`Fiche service prescripteur — Bâtiments`).
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The sheet in Markdown.
    pub fn to_markdown(&self) -> String {
        markdown::write(&self.doc)
    }

    /// The sheet as one self-contained HTML file.
    pub fn to_html(&self) -> String {
        html::write(&self.doc)
    }
}

/// A chart of the document: the file name the Markdown refers to and its SVG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartFile {
    /// Path relative to the Markdown file (`graphiques/objectif-01.svg`).
    pub file: String,
    /// The SVG.
    pub svg: String,
}

impl Document {
    /// The document of `plan` from `input` (the programme the plan was computed for, and
    /// optional inputs).
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`] when the plan names a purchase the programme lacks; the
    /// errors of the programme's estimation and calendar.
    pub fn new(plan: &Plan, input: &DocumentInput<'_>) -> Result<Document> {
        let data = data::build(plan, input)?;
        let ctx = Ctx {
            m: input.messages,
            lang: input.lang,
        };
        // each sheet is written once: on its own, and moved down three levels in annex D
        let sheets: Vec<Sheet> = (0..data.sheets.len())
            .map(|k| {
                let s = &data.sheets[k];
                Sheet {
                    service: s.service.clone(),
                    file_stem: sheets::file_stem(&ctx, s),
                    title: sheets::title(&ctx, s),
                    doc: Doc {
                        lang: input.lang,
                        title: format!("{} — {}", sheets::title(&ctx, s), data.buyer.name),
                        blocks: sheets::sheet(&ctx, &data, k, 1),
                    },
                }
            })
            .collect();
        let in_annex: Vec<Vec<Block>> = sheets
            .iter()
            .map(|s| {
                let mut b = s.doc.blocks.clone();
                shift(&mut b, 3);
                b
            })
            .collect();
        let main = Doc {
            lang: input.lang,
            title: format!("{} — {}", data.title, data.buyer.name),
            blocks: parts::document(&ctx, &data, in_annex),
        };
        let sheets_title = format!("{} — {}", ctx.t("sheets.title"), data.buyer.name);
        Ok(Document {
            data,
            main,
            sheets,
            sheets_title,
        })
    }

    /// The language of the document.
    pub fn lang(&self) -> Lang {
        self.data.lang
    }

    /// The document in Markdown (GitHub tables; charts referenced by their file names, see
    /// [`Document::charts`]).
    pub fn to_markdown(&self) -> String {
        markdown::write(&self.main)
    }

    /// The document as one self-contained HTML file: inline CSS and SVG, no script, no
    /// external resource; A4 print layout with a page break before each part and each sheet
    /// and table headers repeated on every page; `lang`, ordered headings, table headers and
    /// text alternatives of charts for assistive technologies.
    pub fn to_html(&self) -> String {
        html::write(&self.main)
    }

    /// The document's content as JSON data (see the module documentation).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] if serialization fails (non-finite optimiser figures).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(&self.data)
            .map_err(|e| Error::new(ErrorKind::Parse, format!("document: {e}")).with_source(e))
    }

    /// The charts the Markdown refers to, in order.
    pub fn charts(&self) -> Vec<ChartFile> {
        self.main
            .figures()
            .into_iter()
            .map(|f| ChartFile {
                file: f.file.clone(),
                svg: f.svg.clone(),
            })
            .collect()
    }

    /// The prescriber sheets, one per service (services in alphabetical order, purchases
    /// without service last).
    pub fn sheets(&self) -> &[Sheet] {
        &self.sheets
    }

    fn sheets_doc(&self) -> Doc {
        let lang = self.data.lang;
        let title = self.sheets_title.clone();
        let mut blocks = vec![Block::Heading {
            level: 1,
            text: title.clone(),
            id: "sheets".into(),
        }];
        for s in &self.sheets {
            let mut inner = s.doc.blocks.clone();
            shift(&mut inner, 1);
            blocks.push(Block::Section {
                class: "sheet",
                brk: Break::Page,
                blocks: inner,
            });
        }
        Doc {
            lang,
            title,
            blocks,
        }
    }

    /// Every sheet in one Markdown document.
    pub fn sheets_markdown(&self) -> String {
        markdown::write(&self.sheets_doc())
    }

    /// Every sheet in one HTML file, a page break before each.
    pub fn sheets_html(&self) -> String {
        html::write(&self.sheets_doc())
    }
}

impl Plan {
    /// The SPASER document of this plan, computed for `programme` (its buyer profile, purchases,
    /// dates and families), in `lang`, with the defaults of [`DocumentInput`]; see
    /// [`Document::new`] for more inputs (date, past indicators, maturity score…).
    ///
    /// ```
    /// use spaser::{Catalogue, Lang, PlanOptions, Planner, Programme, Rulebook, Targets};
    /// let programme = Programme::sample();
    /// let targets = Targets::defaults_for(programme, Rulebook::embedded());
    /// let plan = Planner::new(Catalogue::embedded(), Rulebook::embedded())
    ///     .plan(programme, &targets, &PlanOptions::default())?;
    /// let doc = plan.document(programme, Lang::En)?;
    /// assert!(doc.to_markdown().contains("## 4. Plan of actions"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Document::new`].
    pub fn document(&self, programme: &Programme, lang: Lang) -> Result<Document> {
        Document::new(self, &DocumentInput::new(programme).lang(lang))
    }
}
