//! The prescriber sheets ("fiches services prescripteurs"): for each prescribing service, its
//! purchases of the period with their dates and procedure, the levers to put in each with why,
//! the model wording and the evidence to require, its share of the insertion hours and its
//! contribution to each target.

use chrono::Datelike;

use crate::document::data::{Data, LineData, SheetData};
use crate::document::pieces::{heading, lever_cell, lever_table, period_text, procedure_name, why};
use crate::plan::planner::CoverageStatus;
use crate::render::blocks::{Block, Inline, Table, anchor, em, strong, text};
use crate::render::ctx::Ctx;

/// The service's name (or the catalogue's words for purchases without service).
pub(crate) fn service_name(ctx: &Ctx<'_>, s: &SheetData) -> String {
    s.service
        .clone()
        .unwrap_or_else(|| ctx.t("sheet.no_service"))
}

/// The title of a sheet.
pub(crate) fn title(ctx: &Ctx<'_>, s: &SheetData) -> String {
    ctx.f("sheet.title", &[("service", &service_name(ctx, s))])
}

/// The file stem of a sheet (`fiche-batiments`).
pub(crate) fn file_stem(ctx: &Ctx<'_>, s: &SheetData) -> String {
    anchor(&ctx.t("sheet.file_prefix"), &service_name(ctx, s))
}

/// The blocks of sheet `k`, its title at heading `level`.
pub(crate) fn sheet(ctx: &Ctx<'_>, d: &Data, k: usize, level: u8) -> Vec<Block> {
    let s = &d.sheets[k];
    let name = service_name(ctx, s);
    let stem = file_stem(ctx, s);
    let mut b = vec![heading(level, title(ctx, s), stem.clone())];
    let period = period_text(ctx, d);
    b.push(Block::Para(vec![text(ctx.f(
        "sheet.intro",
        &[
            ("service", &name),
            ("buyer", &d.buyer.name),
            ("period", &period),
        ],
    ))]));
    let lines: Vec<_> = s.lines.iter().map(|&i| &d.actions.lines[i]).collect();
    let value: rust_decimal::Decimal = lines.iter().map(|l| l.amount.as_decimal()).sum();
    let hours = if s.insertion_hours == 0 {
        ctx.t("sheet.summary.no_hours")
    } else {
        ctx.f(
            "sheet.summary.hours",
            &[
                ("hours", &ctx.n("common.hours", s.insertion_hours, &[])),
                (
                    "share",
                    &s.insertion_share
                        .map_or_else(|| "—".to_string(), |x| ctx.pct(x)),
                ),
            ],
        )
    };
    b.push(Block::Para(vec![text(ctx.f(
        "sheet.summary",
        &[
            (
                "purchases",
                &ctx.n("common.purchases", lines.len() as u64, &[]),
            ),
            ("value", &ctx.euros(value)),
            ("levers", &ctx.n("common.levers", s.levers as u64, &[])),
            ("hours", &hours),
        ],
    ))]));
    if !s.contributions.is_empty() {
        let items = s
            .contributions
            .iter()
            .map(|c| {
                let target = d
                    .targets
                    .iter()
                    .find(|t| t.id == c.target)
                    .map_or_else(|| c.target.clone(), |t| t.label.clone());
                vec![text(ctx.f(
                    "sheet.contribution",
                    &[
                        ("year", &c.year.to_string()),
                        ("mine", &ctx.int(c.service as u64)),
                        ("total", &ctx.int(c.total as u64)),
                        ("target", &target),
                    ],
                ))]
            })
            .collect();
        b.push(Block::Para(vec![strong(ctx.t("sheet.contributions"))]));
        b.push(Block::List(items));
    }

    // calendar
    b.push(heading(
        level + 1,
        ctx.t("sheet.calendar.title"),
        format!("{stem}-calendar"),
    ));
    b.push(Block::Para(vec![text(ctx.t("sheet.calendar.intro"))]));
    let mut t = Table::new(vec![
        ctx.t("col.purchase"),
        ctx.t("col.amount"),
        ctx.t("col.procedure"),
        ctx.t("col.sourcing_by"),
        ctx.t("col.launch_by"),
        ctx.t("col.levers"),
    ])
    .caption(ctx.f("sheet.calendar.caption", &[("service", &name)]))
    .numeric(1)
    .widths(&[22, 15, 12, 13, 13, 25]);
    for l in &lines {
        let mut sourcing = vec![text(ctx.short_date(l.sourcing_by))];
        if l.sourcing_late {
            sourcing.push(Inline::Break);
            sourcing.push(strong(ctx.t("sheet.sourcing.late")));
        }
        let mut launch = match l.launch_by {
            Some(by) => vec![
                text(ctx.short_date(by)),
                Inline::Break,
                em(ctx.f(
                    "sheet.launch.planned",
                    &[("date", &ctx.short_date(l.launch_date))],
                )),
            ],
            None => vec![text(ctx.short_date(l.launch_date))],
        };
        if l.launch_past {
            launch.push(Inline::Break);
            launch.push(em(ctx.t("sheet.launch.past")));
        } else if l.planned_too_late {
            launch.push(Inline::Break);
            launch.push(strong(ctx.t("sheet.launch.too_late")));
        }
        let levers: Vec<String> = l
            .levers
            .iter()
            .map(|lv| {
                d.levers
                    .get(&lv.id)
                    .map_or_else(|| lv.id.clone(), |x| x.label.clone())
            })
            .collect();
        t.rich_row(vec![
            vec![strong(l.id.clone()), Inline::Break, text(l.label.clone())],
            vec![text(ctx.euros(l.amount.as_decimal()))],
            vec![text(procedure_name(ctx, l))],
            sourcing,
            launch,
            vec![text(if levers.is_empty() {
                "—".to_string()
            } else {
                levers.join(&ctx.t("common.semicolon"))
            })],
        ]);
    }
    b.push(Block::Table(t));

    // each purchase's levers and why
    b.push(heading(
        level + 1,
        ctx.t("sheet.levers.title"),
        format!("{stem}-levers"),
    ));
    let without: Vec<String> = lines
        .iter()
        .filter(|l| l.levers.is_empty())
        .map(|l| l.id.clone())
        .collect();
    // the obligations a purchase still has to settle (no lever of the catalogue, uncertain…)
    let attention = |l: &LineData| -> Vec<String> {
        l.obligations
            .iter()
            .filter(|o| {
                !matches!(
                    o.status,
                    CoverageStatus::Met | CoverageStatus::NotApplicable
                )
            })
            .map(|o| {
                ctx.f(
                    &format!("sheet.attention.{}", o.status.as_str()),
                    &[
                        (
                            "obligation",
                            &ctx.t(&format!("obligation.{}", o.obligation.as_str())),
                        ),
                        ("article", &o.article),
                    ],
                )
            })
            .collect()
    };
    for l in lines
        .iter()
        .filter(|l| !l.levers.is_empty() || !attention(l).is_empty() || !l.ruled_out.is_empty())
    {
        b.push(heading(
            level + 2,
            format!("{} — {}", l.id, l.label),
            anchor(&format!("{stem}-"), &l.id),
        ));
        if !l.levers.is_empty() {
            let mut t = Table::new(vec![ctx.t("col.lever"), ctx.t("col.why")]).widths(&[36, 64]);
            for lv in &l.levers {
                let cell = d
                    .levers
                    .get(&lv.id)
                    .map_or_else(|| vec![strong(lv.id.clone())], lever_cell);
                t.rich_row(vec![
                    cell,
                    vec![text(why(ctx, d, lv, l.launch_date.year()))],
                ]);
            }
            b.push(Block::Table(t));
        }
        for a in attention(l) {
            b.push(Block::Para(vec![strong(a)]));
        }
        if !l.ruled_out.is_empty() {
            b.push(Block::Para(vec![text(ctx.t("sheet.levers.ruled_out"))]));
            b.push(Block::List(
                l.ruled_out
                    .iter()
                    .map(|r| vec![strong(r.label.clone()), text(format!(" — {}", r.reason))])
                    .collect(),
            ));
        }
        if l.insertion_hours > 0 {
            b.push(Block::Para(vec![text(ctx.f(
                "sheet.levers.hours",
                &[("hours", &ctx.n("common.hours", l.insertion_hours, &[]))],
            ))]));
        }
    }
    if !without.is_empty() {
        b.push(Block::Para(vec![text(ctx.f(
            "sheet.levers.without",
            &[("purchases", &ctx.join_some(&without, 12))],
        ))]));
    }

    // model wording
    let mut ids: Vec<&str> = lines
        .iter()
        .flat_map(|l| l.levers.iter().map(|lv| lv.id.as_str()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if !ids.is_empty() {
        b.push(heading(
            level + 1,
            ctx.t("sheet.wording.title"),
            format!("{stem}-wording"),
        ));
        b.push(Block::Para(vec![text(ctx.t("sheet.wording.intro"))]));
        b.push(Block::Table(lever_table(
            ctx,
            d,
            ids.into_iter(),
            ctx.f("sheet.wording.caption", &[("service", &name)]),
        )));
    }
    b
}
