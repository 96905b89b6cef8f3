//! The yearly review as a document of the rendering layer: its sentences come from the one
//! message catalogue (`review.*` keys, French and English), its numbers from the layer's
//! formats, its chart from the layer's SVG writer, and it is written as Markdown or as one
//! self-contained, print-ready HTML file by the same writers as the SPASER document.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::compare::{ProcedureCheck, Publication};
use super::link::Unlinked;
use super::review::{Cause, Review, TargetReview};
use crate::indicators::Basis;
use crate::levers::lever::Catalogue;
use crate::render::blocks::{Block, Doc, Figure, Inline, Table, anchor, strong, text};
use crate::render::ctx::Ctx;
use crate::render::format::typography;
use crate::render::messages::Messages;
use crate::render::svg::{self, Chart, Series, Style};
use crate::values::lang::Lang;
use crate::values::money::Amount;
use crate::values::share::Share;
use crate::vocabulary::dimension::Dimension;

/// A dash for a missing value.
const NONE: &str = "–";

fn heading(level: u8, t: String) -> Block {
    Block::Heading {
        level,
        id: anchor("", &t),
        text: t,
    }
}

fn para(t: String) -> Block {
    Block::Para(vec![text(t)])
}

fn amount(ctx: &Ctx<'_>, a: Option<Amount>) -> String {
    a.map_or_else(|| NONE.to_string(), |a| ctx.euros(a.as_decimal()))
}

fn day(ctx: &Ctx<'_>, d: Option<NaiveDate>) -> String {
    d.map_or_else(|| NONE.to_string(), |d| ctx.short_date(d))
}

/// A signed whole number (`-41`, `12`).
fn signed(ctx: &Ctx<'_>, n: i64) -> String {
    ctx.dec(Decimal::from(n), 0)
}

/// A share, or a dash, to the nearest tenth of a point — rounded down when it stays below
/// `goal` but would round up to it (29.96 % of a 30 % goal prints 29.9 %, never 30 %).
fn pct(ctx: &Ctx<'_>, s: Option<Share>, goal: Option<Share>) -> String {
    let tenth = |s: Share| {
        (s.as_decimal() * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointNearestEven)
    };
    match (s, goal) {
        (None, _) => NONE.to_string(),
        (Some(s), Some(g)) if s < g && tenth(s) >= tenth(g) => ctx.pct_down(s),
        (Some(s), _) => ctx.pct(s),
    }
}

/// A difference of shares in points with its sign: `+3,9 pts`, `-4,4 pts`.
fn points(ctx: &Ctx<'_>, d: Decimal) -> String {
    let p = ctx.dec(d * Decimal::ONE_HUNDRED, 1);
    let p = if p.starts_with('-') || d.is_zero() {
        p
    } else {
        format!("+{p}")
    };
    ctx.f("review.points", &[("value", &p)])
}

fn basis(ctx: &Ctx<'_>, b: Basis) -> String {
    match b {
        Basis::Count => ctx.t("report.col.by_count"),
        Basis::Value => ctx.t("report.col.by_value"),
    }
}

fn indicator(ctx: &Ctx<'_>, id: &str) -> String {
    match id {
        "social" => ctx.t("review.consideration.social"),
        "environmental" => ctx.t("review.consideration.environmental"),
        "reserved" => ctx.t("review.indicator.reserved"),
        "innovative" => ctx.t("review.indicator.innovative"),
        other => other.to_string(),
    }
}

fn check(ctx: &Ctx<'_>, c: ProcedureCheck) -> String {
    ctx.t(match c {
        ProcedureCheck::AsRequired => "review.check.as_required",
        ProcedureCheck::Heavier => "review.check.heavier",
        ProcedureCheck::Lighter => "review.check.lighter",
        ProcedureCheck::Unknown => "review.check.unknown",
    })
}

fn publication(ctx: &Ctx<'_>, p: Publication) -> String {
    ctx.t(match p {
        Publication::NotPublished => "review.publication.not_published",
        Publication::Partly => "review.publication.partly",
        Publication::Unknown => "review.publication.unknown",
        Publication::Published | Publication::OtherInstrument => "review.publication.published",
    })
}

fn state(ctx: &Ctx<'_>, s: Unlinked) -> String {
    ctx.t(match s {
        Unlinked::LateOrAbandoned => "review.state.late",
        Unlinked::Pending => "review.state.pending",
        Unlinked::Cancelled => "review.state.cancelled",
        Unlinked::CentralPurchasing => "review.state.central_purchasing",
        Unlinked::BelowPublicationThreshold => "review.state.below_threshold",
    })
}

fn dimension(ctx: &Ctx<'_>, d: Dimension) -> String {
    match d {
        Dimension::Social => ctx.t("review.consideration.social"),
        Dimension::Environmental => ctx.t("review.consideration.environmental"),
        d => ctx.pick(d.label_fr(), d.label_en()).to_string(),
    }
}

fn lever(ctx: &Ctx<'_>, id: &str, catalogue: &Catalogue) -> String {
    match catalogue.get(id) {
        Some(l) => typography(ctx.pick(&l.label_fr, &l.label_en), ctx.lang),
        None => id.to_string(),
    }
}

fn headers(ctx: &Ctx<'_>, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| ctx.t(k)).collect()
}

fn numeric(mut t: Table, cols: &[usize]) -> Table {
    for c in cols {
        t = t.numeric(*c);
    }
    t
}

/// A target's label: the catalogue's `target.ID.label` in the language when it has one (as
/// the SPASER document names it), otherwise the label the target was given.
fn label(ctx: &Ctx<'_>, x: &TargetReview) -> String {
    ctx.m
        .get(&format!("target.{}.label", x.id), ctx.lang)
        .map_or_else(|| x.label.clone(), str::to_string)
}

/// The shares a target compares: goal, projected, realised.
fn shares(x: &TargetReview) -> [Option<Share>; 3] {
    [Some(x.goal), x.projected_share(), x.realised_share()]
}

fn summary(ctx: &Ctx<'_>, r: &Review) -> Block {
    let count = |s: Unlinked| r.unlinked.iter().filter(|u| u.state == s).count() as u64;
    let linked = r.data.in_year.saturating_sub(r.unplanned.len()) as u64;
    let silent = count(Unlinked::BelowPublicationThreshold)
        + count(Unlinked::CentralPurchasing)
        + count(Unlinked::Cancelled);
    let met = r.targets.iter().filter(|x| x.met == Some(true)).count() as u64;
    let items = [
        ctx.n(
            "review.summary.contracts",
            r.data.in_year as u64,
            &[
                ("planned", &ctx.n("review.summary.planned", linked, &[])),
                (
                    "unplanned",
                    &ctx.n("review.summary.unplanned", r.unplanned.len() as u64, &[]),
                ),
            ],
        ),
        ctx.n(
            "review.summary.lines",
            r.data.lines_in_year as u64,
            &[
                (
                    "awarded",
                    &ctx.n("review.summary.awarded", r.outcomes.len() as u64, &[]),
                ),
                (
                    "late",
                    &ctx.n("review.summary.late", count(Unlinked::LateOrAbandoned), &[]),
                ),
                (
                    "pending",
                    &ctx.n("review.summary.pending", count(Unlinked::Pending), &[]),
                ),
                ("silent", &ctx.n("review.summary.silent", silent, &[])),
            ],
        ),
        ctx.n(
            "review.summary.met",
            met,
            &[("total", &ctx.int(r.targets.len() as u64))],
        ),
    ];
    Block::List(items.into_iter().map(|i| vec![text(i)]).collect())
}

fn targets(ctx: &Ctx<'_>, r: &Review) -> Table {
    let mut t = numeric(
        Table::new(headers(
            ctx,
            &[
                "review.col.target",
                "review.col.basis",
                "review.col.goal",
                "review.col.projected",
                "review.col.realised",
                "review.col.gap",
                "review.col.met",
            ],
        )),
        &[2, 3, 4, 5],
    );
    for (i, x) in r.targets.iter().enumerate() {
        let [goal, projected, realised] = shares(x);
        t.row(vec![
            format!("{}. {}", i + 1, label(ctx, x)),
            basis(ctx, x.basis),
            pct(ctx, goal, None),
            pct(ctx, projected, goal),
            pct(ctx, realised, goal),
            x.gap.map_or_else(|| NONE.to_string(), |g| points(ctx, g)),
            match x.met {
                Some(true) => ctx.t("common.yes"),
                Some(false) => ctx.t("common.no"),
                None => ctx.t("review.no_scope"),
            },
        ]);
    }
    t
}

/// The bar chart of the targets: goal, projection and realised share of each, numbered as in
/// the table.
fn chart(ctx: &Ctx<'_>, r: &Review) -> Figure {
    let names = [
        "review.col.goal",
        "review.col.projected",
        "review.col.realised",
    ];
    let colours = [1, 0, 5];
    let series = (0..3)
        .map(|k| Series {
            name: ctx.t(names[k]),
            values: r
                .targets
                .iter()
                .map(|x| shares(x)[k].map(|s| s.as_decimal()))
                .collect(),
            style: Style::Fill(colours[k]),
        })
        .collect();
    let p = |s: Option<Share>| s.map_or_else(|| NONE.to_string(), |s| ctx.pct(s));
    let alt: Vec<String> = r
        .targets
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let [goal, projected, realised] = shares(x);
            ctx.f(
                "review.chart.alt_target",
                &[
                    ("n", &(i + 1).to_string()),
                    ("target", &label(ctx, x)),
                    ("goal", &p(goal)),
                    ("projected", &p(projected)),
                    ("realised", &p(realised)),
                ],
            )
        })
        .collect();
    let title = ctx.t("review.chart.title");
    let desc = format!("{title}. {}", alt.join(" "));
    let chart = Chart {
        id: "chart-review-targets".into(),
        title,
        desc: desc.clone(),
        categories: (1..=r.targets.len())
            .map(|n| ctx.f("review.chart.target", &[("n", &n.to_string())]))
            .collect(),
        series,
        lang: ctx.lang,
    };
    Figure {
        file: chart_file(ctx),
        svg: svg::bars(&chart),
        alt: desc,
        caption: ctx.t("review.chart.caption"),
    }
}

fn chart_file(ctx: &Ctx<'_>) -> String {
    format!("{}/{}.svg", ctx.t("chart.dir"), ctx.t("review.chart.file"))
}

fn causes(ctx: &Ctx<'_>, x: &TargetReview) -> Block {
    let lines = |l: &[String]| l.join(", ");
    let mut items: Vec<String> = x
        .causes
        .iter()
        .map(|c| match c {
            Cause::UnplannedPurchases {
                contracts,
                counting,
                value,
                keys,
            } => ctx.f(
                "review.cause.unplanned",
                &[
                    ("contracts", &ctx.n("review.contracts", *contracts, &[])),
                    ("amount", &ctx.euros(*value)),
                    ("with", &ctx.int(*counting)),
                    ("keys", &keys.join(", ")),
                ],
            ),
            Cause::LeversNotPublished { lines: l } => {
                ctx.f("review.cause.not_published", &[("lines", &lines(l))])
            }
            Cause::LinesLate { lines: l } => ctx.f("review.cause.late", &[("lines", &lines(l))]),
            Cause::LinesPending { lines: l } => {
                ctx.f("review.cause.pending", &[("lines", &lines(l))])
            }
        })
        .collect();
    if items.is_empty() {
        items.push(ctx.t("review.cause.none"));
    }
    Block::List(items.into_iter().map(|i| vec![text(i)]).collect())
}

fn publication_table(ctx: &Ctx<'_>, r: &Review) -> Table {
    let mut t = numeric(
        Table::new(headers(
            ctx,
            &[
                "review.col.indicator",
                "common.year",
                "review.col.contracts",
                "review.col.count_with",
                "review.col.count_share",
                "review.col.amount",
                "review.col.value_with",
                "review.col.value_share",
                "review.col.unknown",
            ],
        )),
        &[2, 3, 4, 5, 6, 7, 8],
    );
    for p in &r.publication {
        let m = &p.measure;
        t.row(vec![
            indicator(ctx, &p.indicator),
            p.year.to_string(),
            ctx.int(m.purchases),
            ctx.int(m.count),
            pct(ctx, m.count_share(), None),
            ctx.euros(m.value),
            ctx.euros(m.covered_value),
            pct(ctx, m.value_share(), None),
            ctx.int(m.unknown),
        ]);
    }
    t
}

fn services(ctx: &Ctx<'_>, r: &Review) -> Table {
    let mut t = numeric(
        Table::new(headers(
            ctx,
            &[
                "review.col.service",
                "review.col.contracts",
                "review.col.amount",
                "review.col.social_count",
                "review.col.environmental_count",
            ],
        )),
        &[1, 2, 3, 4],
    );
    for s in &r.services {
        t.row(vec![
            if s.service.is_empty() {
                ctx.t("review.not_linked")
            } else {
                s.service.clone()
            },
            ctx.int(s.social.purchases),
            ctx.euros(s.social.value),
            pct(ctx, s.social.count_share(), None),
            pct(ctx, s.environmental.count_share(), None),
        ]);
    }
    t
}

fn outcomes(ctx: &Ctx<'_>, r: &Review, catalogue: &Catalogue) -> Table {
    let mut t = numeric(
        Table::new(headers(
            ctx,
            &[
                "review.col.line",
                "review.col.object",
                "review.col.service",
                "review.col.estimate",
                "review.col.awarded",
                "review.col.difference",
                "review.col.expected",
                "review.col.notified",
                "review.col.delay",
                "review.col.procedure",
                "review.col.not_published",
            ],
        )),
        &[3, 4, 5, 8],
    );
    for o in &r.outcomes {
        let missing: Vec<String> = o
            .missing()
            .map(|c| {
                let what = match &c.lever {
                    Some(l) => lever(ctx, l, catalogue),
                    None => dimension(ctx, c.dimension),
                };
                format!("{what} ({})", publication(ctx, c.publication))
            })
            .collect();
        let diff = o.difference.filter(|_| !o.framework).map_or_else(
            || NONE.to_string(),
            |d| {
                let s = ctx.euros(d);
                if d > Decimal::ZERO {
                    format!("+{s}")
                } else {
                    s
                }
            },
        );
        let mut awarded = amount(ctx, o.awarded);
        if o.shared {
            awarded.push_str(" *");
        }
        if o.framework {
            awarded = ctx.f("review.framework_max", &[("amount", &awarded)]);
        }
        let used = if o.procedure_used.is_empty() {
            NONE.to_string()
        } else {
            o.procedure_used.join(", ")
        };
        t.row(vec![
            o.line.clone(),
            o.label.clone(),
            o.service.clone().unwrap_or_default(),
            ctx.euros(o.estimate.as_decimal()),
            awarded,
            diff,
            ctx.short_date(o.expected_notification),
            day(ctx, o.notified),
            o.delay_days
                .map_or_else(|| NONE.to_string(), |d| signed(ctx, d)),
            ctx.f(
                "review.procedure",
                &[
                    (
                        "required",
                        &ctx.t(&format!("procedure.{}", o.procedure_required.as_str())),
                    ),
                    ("used", &used),
                    ("check", &check(ctx, o.procedure_check)),
                ],
            ),
            if missing.is_empty() {
                ctx.t("review.nothing")
            } else {
                missing.join(&ctx.t("common.semicolon"))
            },
        ]);
    }
    t
}

fn unplanned(ctx: &Ctx<'_>, r: &Review) -> Table {
    let mut t = numeric(
        Table::new(headers(
            ctx,
            &[
                "review.col.contract",
                "review.col.object",
                "review.col.amount",
                "review.col.notified",
                "review.col.considerations",
            ],
        )),
        &[2],
    );
    for u in &r.unplanned {
        let mut cons = Vec::new();
        if u.social {
            cons.push(ctx.t("review.consideration.social"));
        }
        if u.environmental {
            cons.push(ctx.t("review.consideration.environmental"));
        }
        t.row(vec![
            u.key.clone(),
            u.object.clone(),
            amount(ctx, u.amount),
            day(ctx, u.notified),
            if cons.is_empty() {
                ctx.t("review.no_consideration")
            } else {
                cons.join(", ")
            },
        ]);
    }
    t
}

fn unlinked(ctx: &Ctx<'_>, r: &Review) -> Table {
    let mut t = numeric(
        Table::new(headers(
            ctx,
            &[
                "review.col.line",
                "review.col.object",
                "review.col.service",
                "review.col.estimate",
                "review.col.state",
                "review.col.expected_by",
                "review.col.days_late",
            ],
        )),
        &[3, 6],
    );
    for u in &r.unlinked {
        let expected = matches!(u.state, Unlinked::LateOrAbandoned | Unlinked::Pending);
        t.row(vec![
            u.line.clone(),
            u.label.clone(),
            u.service.clone().unwrap_or_default(),
            ctx.euros(u.estimate.as_decimal()),
            state(ctx, u.state),
            if expected {
                ctx.short_date(u.expected_by)
            } else {
                NONE.to_string()
            },
            if u.state == Unlinked::LateOrAbandoned {
                signed(ctx, u.days_late)
            } else {
                NONE.to_string()
            },
        ]);
    }
    t
}

/// The review as a document of the rendering layer, in `lang`.
pub(crate) fn doc(r: &Review, lang: Lang, m: &Messages, catalogue: &Catalogue) -> Doc {
    let ctx = &Ctx { m, lang };
    let title = ctx.f("review.title", &[("year", &r.year.to_string())]);
    let mut b = vec![heading(1, title.clone())];
    let mut who: Vec<Inline> = vec![strong(r.buyer.clone())];
    if let Some(s) = &r.siret {
        who.push(text(format!(
            " ({})",
            ctx.f("review.siret", &[("siret", s)])
        )));
    }
    if let Some(d) = r.as_of {
        who.push(text(format!(
            " — {}",
            ctx.f("review.as_of", &[("date", &ctx.date(d))])
        )));
    }
    b.push(Block::Para(who));
    let mut n = 0;
    let mut part = |key: &str| {
        n += 1;
        heading(2, format!("{n}. {}", ctx.t(key)))
    };

    b.push(part("review.summary.title"));
    b.push(summary(ctx, r));

    b.push(part("review.targets.title"));
    b.push(Block::Table(targets(ctx, r)));
    if !r.targets.is_empty() {
        b.push(Block::Figure(chart(ctx, r)));
    }
    for x in r.targets.iter().filter(|x| x.met == Some(false)) {
        b.push(heading(
            3,
            ctx.f("review.causes.title", &[("target", &label(ctx, x))]),
        ));
        b.push(causes(ctx, x));
    }

    b.push(part("review.publication.title"));
    b.push(para(ctx.t("review.publication.note")));
    b.push(Block::Table(publication_table(ctx, r)));

    b.push(part("review.services.title"));
    b.push(para(ctx.t("review.services.note")));
    b.push(Block::Table(services(ctx, r)));

    b.push(part("review.outcomes.title"));
    if r.outcomes.iter().any(|o| o.shared) {
        b.push(para(ctx.t("review.outcomes.shared_note")));
    }
    b.push(Block::Table(outcomes(ctx, r, catalogue)));

    b.push(part("review.unplanned.title"));
    if r.unplanned.is_empty() {
        b.push(para(ctx.t("review.nothing")));
    } else {
        b.push(Block::Table(unplanned(ctx, r)));
    }

    b.push(part("review.unlinked.title"));
    if r.unlinked.is_empty() {
        b.push(para(ctx.t("review.nothing")));
    } else {
        b.push(Block::Table(unlinked(ctx, r)));
    }

    b.push(part("review.method.title"));
    let threshold = ctx.dec(
        r.linking.threshold.as_decimal(),
        r.linking.threshold.as_decimal().normalize().scale(),
    );
    b.push(Block::List(vec![
        vec![text(
            ctx.f("review.method.link", &[("threshold", &threshold)]),
        )],
        vec![text(ctx.t("review.method.count"))],
        vec![text(ctx.t("review.method.procedure"))],
    ]));
    Doc {
        lang,
        title: format!("{title} — {}", r.buyer),
        blocks: b,
    }
}

impl Review {
    /// The review in Markdown (deterministic); its chart is referred to by
    /// [`Review::chart_file`], written next to the Markdown file.
    pub fn to_markdown(&self, lang: Lang) -> String {
        let d = doc(self, lang, Messages::embedded(), Catalogue::embedded());
        crate::render::markdown::write(&d) + "\n"
    }

    /// The review as one self-contained HTML file with its chart (inline CSS and SVG, no
    /// script, no external resource; A4 print layout, table headers repeated on every page;
    /// deterministic), written like the SPASER document.
    pub fn to_html(&self, lang: Lang) -> String {
        let d = doc(self, lang, Messages::embedded(), Catalogue::embedded());
        crate::render::html::write(&d)
    }

    /// The targets chart alone, as SVG (the file [`Review::chart_file`] names).
    pub fn chart_svg(&self, lang: Lang) -> String {
        chart(
            &Ctx {
                m: Messages::embedded(),
                lang,
            },
            self,
        )
        .svg
    }

    /// The path, relative to the Markdown file, its chart is referred to by
    /// (`graphiques/bilan-objectifs.svg`, `charts/review-targets.svg`).
    pub fn chart_file(&self, lang: Lang) -> String {
        chart_file(&Ctx {
            m: Messages::embedded(),
            lang,
        })
    }
}
