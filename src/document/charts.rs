//! The charts of the document: a trajectory per target, the standard indicators by year, the
//! maturity radar.

use rust_decimal::Decimal;

use crate::document::data::{MaturityData, StandardYear, TargetData};
use crate::render::blocks::{Figure, anchor};
use crate::render::ctx::Ctx;
use crate::render::svg::{self, Chart, Series, Style};
use crate::values::share::Share;

fn d(s: Share) -> Decimal {
    s.as_decimal()
}

/// A list of "value (year)" in words for a text alternative.
fn by_year(ctx: &Ctx<'_>, items: &[(i32, Share)]) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|(y, s)| {
            ctx.f(
                "chart.value_in_year",
                &[("value", &ctx.pct(*s)), ("year", &y.to_string())],
            )
        })
        .collect();
    ctx.join(&parts)
}

/// The trajectory of a target: goal, projection and, when known, what was realised, by year.
/// The file a chart is written to, next to the Markdown: `graphiques/objectif-01.svg`.
fn file(ctx: &Ctx<'_>, name_key: &str, n: Option<usize>) -> String {
    let name = ctx.t(name_key);
    match n {
        Some(n) => format!("{}/{name}-{n:02}.svg", ctx.t("chart.dir")),
        None => format!("{}/{name}.svg", ctx.t("chart.dir")),
    }
}

/// The trajectory of target number `n` (from 1).
pub(crate) fn target(ctx: &Ctx<'_>, t: &TargetData, n: usize) -> Figure {
    let mut years: Vec<i32> = t
        .years
        .iter()
        .map(|y| y.year)
        .chain(t.realised.keys().copied())
        .collect();
    years.sort_unstable();
    years.dedup();
    let goal: Vec<Option<Decimal>> = years
        .iter()
        .map(|y| t.years.iter().find(|x| x.year == *y).map(|x| d(x.goal)))
        .collect();
    let projected: Vec<Option<Decimal>> = years
        .iter()
        .map(|y| {
            t.years
                .iter()
                .find(|x| x.year == *y)
                .and_then(|x| x.projected)
                .map(d)
        })
        .collect();
    let mut series = vec![
        Series {
            name: ctx.t("chart.goal"),
            values: goal,
            style: Style::Goal,
        },
        Series {
            name: ctx.t("chart.projected"),
            values: projected,
            style: Style::Projected,
        },
    ];
    if !t.realised.is_empty() {
        series.push(Series {
            name: ctx.t("chart.realised"),
            values: years
                .iter()
                .map(|y| t.realised.get(y).map(|s| d(*s)))
                .collect(),
            style: Style::Realised,
        });
    }
    let goals: Vec<(i32, Share)> = t.years.iter().map(|y| (y.year, y.goal)).collect();
    let proj: Vec<(i32, Share)> = t
        .years
        .iter()
        .filter_map(|y| y.projected.map(|p| (y.year, p)))
        .collect();
    let real: Vec<(i32, Share)> = t.realised.iter().map(|(y, s)| (*y, *s)).collect();
    let mut alt = ctx.f(
        "chart.target.alt",
        &[
            ("target", &t.label),
            ("goals", &by_year(ctx, &goals)),
            ("projected", &by_year(ctx, &proj)),
        ],
    );
    if !real.is_empty() {
        alt.push(' ');
        alt.push_str(&ctx.f(
            "chart.target.alt_realised",
            &[("realised", &by_year(ctx, &real))],
        ));
    }
    let id = anchor("chart-target", &t.id);
    let chart = Chart {
        id: id.clone(),
        title: t.label.clone(),
        desc: alt.clone(),
        categories: years.iter().map(|y| y.to_string()).collect(),
        series,
        lang: ctx.lang,
    };
    Figure {
        file: file(ctx, "chart.file.target", Some(n)),
        svg: svg::lines(&chart),
        alt,
        caption: ctx.f("chart.target.caption", &[("target", &t.label)]),
    }
}

/// The standard indicators (social and environmental, by count and by value) by year.
pub(crate) fn standard(
    ctx: &Ctx<'_>,
    rows: &[StandardYear],
    id: &str,
    title_key: &str,
    file_key: &str,
    caption: String,
) -> Figure {
    let pick = |f: fn(&StandardYear) -> Option<Share>| -> Vec<Option<Decimal>> {
        rows.iter().map(|r| f(r).map(d)).collect()
    };
    let series = vec![
        Series {
            name: ctx.t("indicator.social_count"),
            values: pick(|r| r.social_count),
            style: Style::Fill(0),
        },
        Series {
            name: ctx.t("indicator.social_value"),
            values: pick(|r| r.social_value),
            style: Style::Fill(1),
        },
        Series {
            name: ctx.t("indicator.environmental_count"),
            values: pick(|r| r.environmental_count),
            style: Style::Fill(2),
        },
        Series {
            name: ctx.t("indicator.environmental_value"),
            values: pick(|r| r.environmental_value),
            style: Style::Fill(3),
        },
    ];
    let items: Vec<String> = rows
        .iter()
        .map(|r| {
            let p = |s: Option<Share>| s.map_or_else(|| "—".to_string(), |s| ctx.pct(s));
            ctx.f(
                "chart.standard.alt_year",
                &[
                    ("year", &r.year.to_string()),
                    ("social_count", &p(r.social_count)),
                    ("social_value", &p(r.social_value)),
                    ("environmental_count", &p(r.environmental_count)),
                    ("environmental_value", &p(r.environmental_value)),
                ],
            )
        })
        .collect();
    let title = ctx.t(title_key);
    let alt = format!("{}{} {}", title, ctx.t("common.colon"), items.join(" "));
    let chart = Chart {
        id: id.to_string(),
        title: title.clone(),
        desc: alt.clone(),
        categories: rows.iter().map(|r| r.year.to_string()).collect(),
        series,
        lang: ctx.lang,
    };
    Figure {
        file: file(ctx, file_key, None),
        svg: svg::bars(&chart),
        alt,
        caption,
    }
}

/// The maturity radar: the score of each theme.
pub(crate) fn maturity(ctx: &Ctx<'_>, m: &MaturityData) -> Figure {
    let items: Vec<String> = m
        .themes
        .iter()
        .map(|t| {
            ctx.f(
                "chart.maturity.alt_theme",
                &[
                    ("theme", &t.name),
                    (
                        "score",
                        &t.score.map_or_else(|| "—".to_string(), |s| ctx.pct(s)),
                    ),
                    ("level", &t.level.to_string()),
                ],
            )
        })
        .collect();
    let title = ctx.t("chart.maturity.title");
    let alt = format!("{}{} {}", title, ctx.t("common.colon"), ctx.join(&items));
    let chart = Chart {
        id: "chart-maturity".into(),
        title: title.clone(),
        desc: alt.clone(),
        categories: m.themes.iter().map(|t| t.name.clone()).collect(),
        series: vec![Series {
            name: ctx.t("chart.maturity.score"),
            values: m.themes.iter().map(|t| t.score.map(d)).collect(),
            style: Style::Fill(0),
        }],
        lang: ctx.lang,
    };
    Figure {
        file: file(ctx, "chart.file.maturity", None),
        svg: svg::radar(&chart),
        alt,
        caption: ctx.f("chart.maturity.caption", &[("date", &ctx.date(m.date))]),
    }
}
