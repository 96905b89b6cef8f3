//! `spaser maturity`: scores an assessment against a maturity grid (the embedded "SPASER
//! maturity" by default), with automatic criteria answered from DECP actuals or a programme,
//! the next actions and, with `--previous`, the progress since an earlier assessment.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;
use spaser::maturity::{
    Action, Assessment, Evidence, FACT_PROGRAMME_COVERAGE, Grid, Origin, Progress, ScoreOptions,
    Scorecard, Source, actions, progress, score_with,
};
use spaser::{
    BuyerKind, Catalogue, PlanOptions, Planner, Programme, Rulebook, Share, Targets, decp,
};

use crate::{Common, Failure, Format, Lang, input, output};

const SAMPLE: &str = include_str!("../../data/maturity_sample_assessment.json");

/// Arguments of `spaser maturity`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "With no ASSESSMENT: the embedded sample assessment.\nJSON: {\"scorecard\", \"actions\", \"progress\"} — the library's Scorecard, actions() and progress() (see docs/cli.md)."
)]
pub struct Args {
    /// The assessment, JSON [default: the embedded sample]
    #[arg(value_name = "ASSESSMENT")]
    pub assessment: Option<PathBuf>,
    /// A grid in the documented JSON format [default: the embedded "SPASER maturity"]
    #[arg(long, value_name = "FILE")]
    pub grid: Option<PathBuf>,
    /// A DECP file (JSON or XML, 2019 or 2024 format, the consolidated CSV or Parquet; `-`
    /// for standard input): its marchés answer the automatic criteria the
    /// assessment leaves open
    #[arg(long, value_name = "FILE")]
    pub decp: Option<PathBuf>,
    /// Read only the marchés of this buyer (SIRET) in the DECP file: a criterion whose year
    /// or buyer the file does not cover says so
    #[arg(long, value_name = "SIRET", requires = "decp")]
    pub buyer: Option<spaser::Siret>,
    /// Plan a programme and read the plan's planned levers for the criteria read on the plan:
    /// FILE (CSV or JSON), or the embedded sample when no FILE follows (put ASSESSMENT first).
    /// Without --coverage, the programme coverage is computed (the year's programme value ÷
    /// the buyer's expenditure, or ÷ its contracts in --decp)
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    pub programme: Option<Option<PathBuf>>,
    /// The share of the year's spend covered by the programme (e.g. 0.8), for the
    /// programme_coverage criteria
    #[arg(long, value_name = "SHARE")]
    pub coverage: Option<Share>,
    /// An earlier assessment: print the progress since it (scored with the same grid and
    /// figures)
    #[arg(long, value_name = "ASSESSMENT")]
    pub previous: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

/// The `--format json` document: the library's results with every field.
#[derive(Serialize)]
struct MaturityJson<'a> {
    scorecard: &'a Scorecard,
    actions: &'a [Action],
    #[serde(skip_serializing_if = "Option::is_none")]
    progress: Option<&'a Progress>,
}

/// The inputs of the score, built from the arguments.
struct Inputs {
    grid: Option<Grid>,
    assessment: Assessment,
    origin: String,
    evidence: Evidence,
    decp_note: Option<String>,
}

fn assessment(path: &Path) -> Result<Assessment, Failure> {
    Assessment::from_json(&input::text(path)?)
        .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))
}

fn inputs(args: &Args) -> Result<Inputs, Failure> {
    let grid = match &args.grid {
        Some(path) => Some(
            Grid::from_json(&input::text(path)?)
                .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))?,
        ),
        None => None,
    };
    let g = grid.as_ref().unwrap_or(Grid::spaser());
    let (assessment, origin) = match &args.assessment {
        Some(path) => (assessment(path)?, path.display().to_string()),
        None => (
            Assessment::from_json(SAMPLE)
                .map_err(|e| Failure::Data(format!("embedded sample: {e}")))?,
            match args.common.lang() {
                Lang::Fr => "exemple intégré".to_string(),
                Lang::En => "embedded sample".to_string(),
            },
        ),
    };
    let lang = args.common.lang().lib();
    let mut evidence = Evidence::new();
    let mut decp_note = None;
    let mut contracts = Vec::new();
    if let Some(path) = &args.decp {
        let (table, note, data) = decp_table(g, path, args.buyer.as_ref(), lang)?;
        match &args.buyer {
            Some(siret) => {
                evidence = evidence.with_actuals_of(g, siret, &data);
                let scope = evidence.scope(Source::Actuals).cloned().unwrap_or_default();
                decp_note = Some(match lang {
                    spaser::Lang::Fr => format!(
                        "{note}\n    acheteur {siret} seul\u{a0}: {} marchés lus, {} marché(s) d'autres établissements de son SIREN ignoré(s)",
                        scope.records, scope.other_buyers
                    ),
                    spaser::Lang::En => format!(
                        "{note}\n    buyer {siret} only: {} marchés read, {} of its SIREN's other establishments ignored",
                        scope.records, scope.other_buyers
                    ),
                });
            }
            None => {
                evidence = evidence.with_table(Source::Actuals, table);
                decp_note = Some(note);
            }
        }
        contracts = data;
    }
    if let Some(file) = &args.programme {
        let loaded;
        let programme = match file {
            Some(path) => {
                loaded = crate::programme::load(path, BuyerKind::OtherContractingAuthority)?;
                &loaded
            }
            None => Programme::sample(),
        };
        // the plan's planned levers, not the considerations typed before planning
        let rulebook = Rulebook::embedded();
        let targets = Targets::defaults_for(programme, rulebook);
        let plan = Planner::new(Catalogue::embedded(), rulebook).plan(
            programme,
            &targets,
            &PlanOptions::default(),
        )?;
        evidence = evidence.with_plan(g, programme, &plan, Catalogue::embedded())?;
        if args.coverage.is_none() {
            evidence = evidence.with_programme_coverage(
                programme,
                assessment.reference_year(),
                &contracts,
            );
        }
    }
    if let Some(share) = args.coverage {
        evidence = evidence.with_fact(FACT_PROGRAMME_COVERAGE, share);
    }
    Ok(Inputs {
        grid,
        assessment,
        origin,
        evidence,
        decp_note,
    })
}

/// Runs `spaser maturity`.
pub fn run(args: &Args) -> Result<(), Failure> {
    output::check_format(&args.common, "maturity", &[Format::Text, Format::Json])?;
    let lang = output::text_lang(&args.common, "maturity", &[Lang::Fr, Lang::En]).lib();
    let inputs = inputs(args)?;
    let grid = inputs.grid.as_ref().unwrap_or(Grid::spaser());
    let options = ScoreOptions::default();
    let origin = inputs.origin.as_str();
    let card = score_with(grid, &inputs.assessment, &inputs.evidence, &options)
        .map_err(|e| Failure::Data(format!("{origin}: {e}")))?;
    let plan = actions(grid, &card)?;
    let change = match &args.previous {
        Some(path) => {
            let before = score_with(grid, &assessment(path)?, &inputs.evidence, &options)
                .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))?;
            Some((
                progress(&before, &card)?,
                before,
                path.display().to_string(),
            ))
        }
        None => None,
    };
    let text = match args.common.format {
        Format::Json => output::json(&MaturityJson {
            scorecard: &card,
            actions: &plan,
            progress: change.as_ref().map(|(p, _, _)| p),
        })?,
        _ => {
            let mut t = render_text(
                grid,
                &card,
                &plan,
                origin,
                inputs.decp_note.as_deref(),
                lang,
            );
            if let Some((p, before, path)) = &change {
                progress_text(&mut t, grid, p, before, path, lang);
            }
            t
        }
    };
    output::emit(&args.common, &text)
}

/// Reads a DECP file of any format `spaser decp` reads (JSON or XML, 2019 or 2024 format, the
/// consolidated CSV or Parquet) with the crate's lenient readers and computes the grid's
/// indicators ([`Grid::engine`]) on its marchés, keyed by notification date. Concessions are
/// not counted (the grid's rules speak of contracts notified); duplicates count once; rejected
/// records are listed.
fn decp_table(
    grid: &Grid,
    path: &Path,
    buyer: Option<&spaser::Siret>,
    lang: spaser::Lang,
) -> Result<(spaser::IndicatorTable, String, Vec<decp::AwardedContract>), Failure> {
    let shown = input::name(path);
    let mut options = decp::Options::totals_only()
        .full(true)
        .contracts(true)
        .keep_diagnostics(true);
    if let Some(siret) = buyer {
        options = options.filter(crate::decp::buyer_filter(siret));
    }
    let report = crate::decp::read(&[path], options)?;
    let mut engine = grid.engine();
    let mut buf = Vec::new();
    let mut used = 0u64;
    for c in &report.contracts {
        if let Some(p) = decp::purchase_of(c, &mut buf) {
            engine.add(&p);
            used += 1;
        }
    }
    let a = &report.accounting;
    let kept: u64 = report.files.iter().map(|f| f.kept).sum();
    let concessions = kept.saturating_sub(report.contracts.len() as u64);
    let mut note = match lang {
        spaser::Lang::Fr => format!(
            "{shown}\u{a0}: {} enregistrements lus, {used} marchés comptés, {concessions} concessions non comptées, {} doublons comptés une fois, {} rejetés, {} avertissements",
            a.read, a.duplicates, a.rejected, a.warnings
        ),
        spaser::Lang::En => format!(
            "{shown}: {} records read, {used} marchés counted, {concessions} concessions not counted, {} duplicates counted once, {} rejected, {} warnings",
            a.read, a.duplicates, a.rejected, a.warnings
        ),
    };
    if let Some(left_out) = crate::decp::left_out_by_buyer(&report, lang) {
        let _ = write!(note, "\n    {left_out}");
    }
    // the first rejections (all of them with `spaser decp FILE --format json`)
    const LISTED: usize = 20;
    let rejected: Vec<_> = report.files.iter().flat_map(|f| &f.rejected).collect();
    for r in rejected.iter().take(LISTED) {
        let _ = write!(note, "\n    {}", r.text(lang));
    }
    if rejected.len() > LISTED {
        let more = rejected.len() - LISTED;
        let _ = match lang {
            spaser::Lang::Fr => write!(
                note,
                "\n    … et {more} autres (toutes avec spaser decp {shown} --format json)"
            ),
            spaser::Lang::En => write!(
                note,
                "\n    … and {more} more (all with spaser decp {shown} --format json)"
            ),
        };
    }
    Ok((engine.finish(), note, report.contracts))
}

/// A share in percent with one decimal (`27,6 %` / `27.6 %`), `n/a` without a figure.
fn pct(s: Option<Share>, lang: spaser::Lang) -> String {
    match s {
        Some(s) => {
            let p = format!("{:.1}", s.as_decimal() * rust_decimal::Decimal::ONE_HUNDRED);
            match lang {
                spaser::Lang::Fr => format!("{}\u{202f}%", p.replace('.', ",")),
                spaser::Lang::En => format!("{p} %"),
            }
        }
        None => match lang {
            spaser::Lang::Fr => "n.\u{a0}d.".into(),
            spaser::Lang::En => "n/a".into(),
        },
    }
}

/// A number of points, trailing zeros dropped (`19,25` / `19.25`).
fn decimal_string(d: rust_decimal::Decimal, lang: spaser::Lang) -> String {
    let s = d.normalize().to_string();
    match lang {
        spaser::Lang::Fr => s.replace('.', ","),
        spaser::Lang::En => s,
    }
}

/// A date: `15/11/2026` in French, `2026-11-15` in English.
fn date_text(d: chrono::NaiveDate, lang: spaser::Lang) -> String {
    match lang {
        spaser::Lang::Fr => d.format("%d/%m/%Y").to_string(),
        spaser::Lang::En => d.to_string(),
    }
}

/// `fr` or `en`.
fn t(lang: spaser::Lang, fr: &'static str, en: &'static str) -> &'static str {
    match lang {
        spaser::Lang::Fr => fr,
        spaser::Lang::En => en,
    }
}

/// The header of a table of themes: theme, level, points, score (the widths of the last three).
fn theme_header(out: &mut String, lang: spaser::Lang, [level, points, score]: [usize; 3]) {
    let _ = writeln!(
        out,
        "{:<30} {:>level$} {:>points$} {:>score$}",
        t(lang, "thème", "theme"),
        t(lang, "niveau", "level"),
        "points",
        "score"
    );
}

fn theme_name<'a>(grid: &'a Grid, id: &'a str, lang: spaser::Lang) -> &'a str {
    grid.theme(id).map_or(id, |t| t.name.get(lang))
}

/// A criterion's status in `lang`.
fn status_text(s: &spaser::maturity::Status, lang: spaser::Lang) -> String {
    use spaser::maturity::Status;
    match lang {
        spaser::Lang::En => s.to_string(),
        spaser::Lang::Fr => match s {
            Status::Met => "atteint".into(),
            Status::NotMet => "non atteint".into(),
            Status::Partly(x) => format!("en partie ({})", pct(Some(*x), lang)),
            Status::NotApplicable(r) => format!("sans objet ({r})"),
            _ => s.to_string(),
        },
    }
}

fn render_text(
    grid: &Grid,
    card: &Scorecard,
    plan: &[Action],
    origin: &str,
    decp_note: Option<&str>,
    lang: spaser::Lang,
) -> String {
    let mut out = String::new();
    let colon = t(lang, "\u{a0}:", ":");
    let _ = writeln!(
        out,
        "{} — {} {} {} {} ({origin}), {} {}",
        grid.name().get(lang),
        t(lang, "évaluation du", "assessment of"),
        date_text(card.date, lang),
        t(lang, "par", "by"),
        card.assessor,
        t(lang, "année de référence", "reference year"),
        card.reference_year
    );
    if let Some(n) = decp_note {
        let _ = writeln!(
            out,
            "{}{colon} {n}",
            t(lang, "Réalisé (DECP)", "DECP actuals")
        );
    }
    out.push('\n');
    theme_header(&mut out, lang, [6, 16, 9]);
    for th in &card.themes {
        let _ = writeln!(
            out,
            "{:<30} {:>6} {:>16} {:>9}",
            th.name.get(lang),
            th.level,
            format!(
                "{} / {}",
                decimal_string(th.points, lang),
                decimal_string(th.potential, lang)
            ),
            pct(th.score, lang)
        );
    }
    out.push('\n');
    let thresholds: Vec<String> = ScoreOptions::default()
        .star_thresholds()
        .thresholds()
        .iter()
        .map(|x| pct(Some(*x), lang))
        .collect();
    let _ = match lang {
        spaser::Lang::Fr => writeln!(
            out,
            "ensemble\u{a0}: {} / {} points = {}, {} étoile{} (étoiles à {})",
            decimal_string(card.points, lang),
            decimal_string(card.potential, lang),
            pct(card.score, lang),
            card.stars,
            if card.stars > 1 { "s" } else { "" },
            thresholds.join(", ")
        ),
        spaser::Lang::En => writeln!(
            out,
            "overall: {} / {} points = {}, {} star(s) (stars at {})",
            decimal_string(card.points, lang),
            decimal_string(card.potential, lang),
            pct(card.score, lang),
            card.stars,
            thresholds.join(", ")
        ),
    };

    let auto: Vec<_> = card
        .criteria
        .iter()
        .filter(|c| c.origin == Origin::Automatic)
        .collect();
    let overrides: Vec<_> = card.overrides().collect();
    if !auto.is_empty() || !overrides.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}{colon}",
            t(
                lang,
                "critères décidés par les chiffres",
                "answered from figures"
            )
        );
        for c in &auto {
            let why = c.automatic.as_ref().map_or(String::new(), |e| e.text(lang));
            let _ = writeln!(
                out,
                "  {:<28} {:<11} {why}",
                c.criterion,
                status_text(&c.status, lang)
            );
        }
        for c in &overrides {
            let why = c.automatic.as_ref().map_or(String::new(), |e| e.text(lang));
            let _ = match lang {
                spaser::Lang::Fr => writeln!(
                    out,
                    "  {:<28} la réponse manuelle «\u{a0}{}\u{a0}» l'emporte sur le chiffre\u{a0}: {why}",
                    c.criterion,
                    status_text(&c.status, lang)
                ),
                spaser::Lang::En => writeln!(
                    out,
                    "  {:<28} manual answer \"{}\" overrides the figure: {why}",
                    c.criterion, c.status
                ),
            };
        }
    }

    let undecided: Vec<_> = card
        .criteria
        .iter()
        .filter(|c| c.origin == Origin::Unanswered)
        .filter_map(|c| Some((c, c.automatic.as_ref()?)))
        .filter(|(_, e)| e.gap.is_some() || e.figure.note.is_some())
        .collect();
    if !undecided.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}{colon}",
            t(
                lang,
                "critères que les données fournies ne décident pas",
                "not decided by the data given"
            )
        );
        for (c, e) in undecided {
            let _ = writeln!(out, "  {:<28} {}", c.criterion, e.text(lang));
        }
    }

    out.push('\n');
    let _ = writeln!(
        out,
        "{}{colon}",
        t(
            lang,
            "prochaines actions (par thème, les critères non atteints du niveau suivant, les plus riches en points d'abord)",
            "next actions (per theme, the unmet criteria of the next level, most points first)"
        )
    );
    let mut current = "";
    for a in plan {
        if a.theme != current {
            current = &a.theme;
            let _ = writeln!(
                out,
                "  {} → {} {}",
                theme_name(grid, &a.theme, lang),
                t(lang, "niveau", "level"),
                a.level
            );
        }
        let auto = if a.automatic {
            t(lang, " [mesuré]", " [measured]")
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "    - {} ({} {}, {} {}){auto}{colon} {}",
            a.criterion,
            a.points,
            t(lang, "pts", "pts"),
            decimal_string(a.gain, lang),
            t(lang, "à gagner", "to gain"),
            a.text.get(lang)
        );
    }
    out
}

fn progress_text(
    out: &mut String,
    grid: &Grid,
    p: &Progress,
    before: &Scorecard,
    path: &str,
    lang: spaser::Lang,
) {
    let colon = t(lang, "\u{a0}:", ":");
    out.push('\n');
    let _ = writeln!(
        out,
        "{} {} {} {} ({path}){colon}",
        t(
            lang,
            "progrès depuis l'évaluation du",
            "progress since the assessment of"
        ),
        date_text(before.date, lang),
        t(lang, "par", "by"),
        before.assessor
    );
    theme_header(out, lang, [7, 20, 19]);
    for th in &p.themes {
        let delta = if th.points_delta.is_sign_negative() {
            decimal_string(th.points_delta, lang)
        } else {
            format!("+{}", decimal_string(th.points_delta, lang))
        };
        let _ = writeln!(
            out,
            "{:<30} {:>7} {:>20} {:>19}",
            theme_name(grid, &th.theme, lang),
            format!("{} → {}", th.level_before, th.level_after),
            format!(
                "{} → {} ({delta})",
                decimal_string(th.points_before, lang),
                decimal_string(th.points_after, lang)
            ),
            format!(
                "{} → {}",
                pct(th.score_before, lang),
                pct(th.score_after, lang)
            ),
        );
    }
    let _ = writeln!(
        out,
        "{}{colon} {} → {} points, {} → {}, {} → {} {}",
        t(lang, "ensemble", "overall"),
        decimal_string(p.points_before, lang),
        decimal_string(p.points_after, lang),
        pct(p.score_before, lang),
        pct(p.score_after, lang),
        p.stars_before,
        p.stars_after,
        t(lang, "étoile(s)", "star(s)")
    );
    let list = |ids: &[String]| {
        if ids.is_empty() {
            t(lang, "aucun", "none").to_string()
        } else {
            ids.join(", ")
        }
    };
    let _ = writeln!(
        out,
        "{}{colon} {}",
        t(lang, "nouvellement atteints", "newly met"),
        list(&p.newly_met)
    );
    let _ = writeln!(
        out,
        "{}{colon} {}",
        t(lang, "plus atteints", "no longer met"),
        list(&p.no_longer_met)
    );
}
