//! The six parts of the SPASER document, written from its data in one language.

use crate::document::charts;
use crate::document::data::{Data, LineData, StandardYear, TargetData};
use crate::document::pieces::{
    heading, lever_label, lever_order, lever_table, period_text, procedure_name, why,
};
use crate::indicators::Basis;
use crate::plan::planner::CoverageStatus;
use crate::render::blocks::{Block, Break, Cell, Inline, Table, anchor, em, strong, text};
use crate::render::ctx::Ctx;
use crate::values::share::Share;
use crate::vocabulary::dimension::Dimension;

/// The part keys, in order: their titles are `doc.part.KEY`.
pub(crate) const PARTS: [&str; 6] = [
    "context",
    "baseline",
    "axes",
    "actions",
    "governance",
    "annexes",
];

fn para(s: String) -> Block {
    Block::Para(vec![text(s)])
}

fn part_title(ctx: &Ctx<'_>, i: usize) -> String {
    format!("{}. {}", i + 1, ctx.t(&format!("doc.part.{}", PARTS[i])))
}

fn part(ctx: &Ctx<'_>, i: usize, mut blocks: Vec<Block>) -> Block {
    blocks.insert(
        0,
        heading(2, part_title(ctx, i), format!("part-{}", PARTS[i])),
    );
    Block::Section {
        class: "part",
        brk: Break::Page,
        blocks,
    }
}

/// The whole document; `sheets` are the blocks of the prescriber sheets for annex D.
pub(crate) fn document(ctx: &Ctx<'_>, d: &Data, sheets: Vec<Vec<Block>>) -> Vec<Block> {
    vec![
        cover(ctx, d),
        part(ctx, 0, context(ctx, d)),
        part(ctx, 1, baseline(ctx, d)),
        part(ctx, 2, axes(ctx, d)),
        part(ctx, 3, actions(ctx, d)),
        part(ctx, 4, governance(ctx, d)),
        part(ctx, 5, annexes(ctx, d, sheets)),
    ]
}

fn cover(ctx: &Ctx<'_>, d: &Data) -> Block {
    let mut b = vec![heading(1, d.title.clone(), "title".into())];
    b.push(Block::Para(vec![strong(d.buyer.name.clone())]));
    b.push(para(
        ctx.f("cover.period", &[("period", &period_text(ctx, d))]),
    ));
    if let Some(date) = d.date {
        b.push(para(ctx.f("cover.date", &[("date", &ctx.date(date))])));
    }
    b.push(para(ctx.t("cover.purpose")));
    b.push(heading(2, ctx.t("cover.contents"), "contents".into()));
    let mut items: Vec<Vec<Inline>> = (0..PARTS.len())
        .map(|i| {
            vec![Inline::Link {
                text: part_title(ctx, i),
                href: format!("#part-{}", PARTS[i]),
            }]
        })
        .collect();
    items.push(vec![Inline::Link {
        text: ctx.t("cover.sheets"),
        href: "#annex-sheets".into(),
    }]);
    b.push(Block::List(items));
    Block::Section {
        class: "cover",
        brk: Break::None,
        blocks: b,
    }
}

// ---------------------------------------------------------------- 1. context and obligations

fn context(ctx: &Ctx<'_>, d: &Data) -> Vec<Block> {
    let mut b = Vec::new();
    b.push(heading(
        3,
        ctx.t("context.buyer.title"),
        "context-buyer".into(),
    ));
    b.push(Block::Para(vec![strong(d.buyer.name.clone())]));
    let fact = |label: &str, value: String| {
        vec![
            text(format!("{}{} ", ctx.t(label), ctx.t("common.colon"))),
            text(value),
        ]
    };
    let mut facts = vec![fact(
        "context.buyer.status",
        match d.buyer.status {
            Some(s) => ctx.t(&format!("buyer_status.{}", s.as_str())),
            None => ctx.t("context.buyer.no_status"),
        },
    )];
    if let Some(s) = &d.buyer.siret {
        facts.push(fact("context.buyer.siret", s.clone()));
    }
    if let Some(dep) = &d.buyer.departement {
        facts.push(fact("context.buyer.departement", dep.clone()));
    }
    facts.push(fact(
        "context.buyer.kind",
        ctx.t(&format!("buyer_kind.{}", d.buyer.kind.as_str())),
    ));
    b.push(Block::List(facts));
    if !d.buyer.expenditure.is_empty() {
        let mut t = Table::new(vec![
            ctx.t("common.year"),
            ctx.t("context.expenditure.column"),
        ])
        .caption(ctx.t("context.expenditure.caption"))
        .numeric(1);
        for (y, a) in &d.buyer.expenditure {
            t.row(vec![y.to_string(), ctx.euros(a.as_decimal())]);
        }
        b.push(Block::Table(t));
    }

    b.push(heading(
        3,
        ctx.t("context.spaser.title"),
        "context-spaser".into(),
    ));
    b.push(para(spaser_text(ctx, d)));

    b.push(heading(
        3,
        ctx.t("context.period.title"),
        "context-period".into(),
    ));
    b.push(para(ctx.f(
        "context.period.text",
        &[
            ("period", &period_text(ctx, d)),
            ("n", &ctx.int(d.actions.lines.len() as u64)),
            (
                "value",
                &ctx.euros(d.actions.lines.iter().map(|l| l.amount.as_decimal()).sum()),
            ),
        ],
    )));

    b.push(heading(
        3,
        ctx.t("context.obligations.title"),
        "context-obligations".into(),
    ));
    b.push(para(ctx.t("context.obligations.intro")));
    for o in &d.obligations {
        let arts: Vec<String> = o
            .articles
            .iter()
            .map(|a| {
                ctx.f(
                    "context.obligations.article",
                    &[("article", &a.article), ("date", &ctx.date(a.from))],
                )
            })
            .collect();
        let concerned = if o.purchases == 0 {
            ctx.t("context.obligations.none")
        } else {
            ctx.n("context.obligations.purchases", o.purchases as u64, &[])
        };
        let inl = vec![
            strong(ctx.t(&format!("obligation.{}", o.id.as_str()))),
            text(format!(
                " ({}{}{}). ",
                ctx.join(&arts),
                ctx.t("common.semicolon"),
                ctx.f("common.confidence_tag", &[("tag", o.confidence.as_str())])
            )),
            text(format!(
                "{} {}",
                ctx.t(&format!("obligation.{}.explain", o.id.as_str())),
                concerned
            )),
        ];
        b.push(Block::Para(inl));
    }
    b
}

fn spaser_text(ctx: &Ctx<'_>, d: &Data) -> String {
    let s = &d.spaser;
    let amount = s
        .amount
        .map(|a| ctx.euros(a.as_decimal()))
        .unwrap_or_default();
    let threshold = s
        .threshold
        .map(|a| ctx.euros(a.as_decimal()))
        .unwrap_or_default();
    let year = s.year.map(|y| y.to_string()).unwrap_or_default();
    let args = [
        ("name", d.buyer.name.as_str()),
        ("year", year.as_str()),
        ("amount", amount.as_str()),
        ("threshold", threshold.as_str()),
        ("article", s.article.as_str()),
        ("tag", s.confidence.as_str()),
    ];
    let key = match (s.basis, s.verdict, s.out_of_scope) {
        ("expenditure", "required", _) => "context.spaser.required",
        ("expenditure", "not_required", false) => "context.spaser.below",
        ("expenditure", "not_required", true) => "context.spaser.out_of_scope",
        ("expenditure", _, _) => "context.spaser.disputed",
        (_, _, _) if s.year.is_none() => "context.spaser.no_data",
        (_, "required", _) => "context.spaser.estimate_above",
        _ => "context.spaser.estimate_below",
    };
    ctx.f(key, &args)
}

// ---------------------------------------------------------------- 2. baseline

fn standard_table(ctx: &Ctx<'_>, rows: &[StandardYear], count_key: &str, caption: String) -> Table {
    let mut t = Table::new(vec![
        ctx.t("common.year"),
        ctx.t(count_key),
        ctx.t("indicator.social_count"),
        ctx.t("indicator.social_value"),
        ctx.t("indicator.environmental_count"),
        ctx.t("indicator.environmental_value"),
        ctx.t("indicator.innovative_count"),
    ])
    .caption(caption);
    for i in 1..7 {
        t = t.numeric(i);
    }
    let p = |s: Option<Share>| s.map_or_else(|| "—".to_string(), |s| ctx.pct(s));
    for r in rows {
        t.row(vec![
            r.year.to_string(),
            ctx.int(r.purchases),
            p(r.social_count),
            p(r.social_value),
            p(r.environmental_count),
            p(r.environmental_value),
            p(r.innovative_count),
        ]);
    }
    t
}

fn baseline(ctx: &Ctx<'_>, d: &Data) -> Vec<Block> {
    let mut b = Vec::new();
    let base = &d.baseline;
    if base.actuals.is_empty() && base.maturity.is_none() {
        b.push(para(ctx.t("baseline.empty")));
    }
    if !base.actuals.is_empty() {
        b.push(heading(
            3,
            ctx.t("baseline.actuals.title"),
            "baseline-actuals".into(),
        ));
        b.push(para(ctx.t("baseline.actuals.intro")));
        b.push(Block::Table(standard_table(
            ctx,
            &base.actuals,
            "indicator.contracts",
            ctx.t("baseline.actuals.caption"),
        )));
        b.push(Block::Figure(charts::standard(
            ctx,
            &base.actuals,
            "chart-actuals",
            "baseline.actuals.chart",
            "chart.file.actuals",
            ctx.t("chart.actuals.caption"),
        )));
    }
    if let Some(m) = &base.maturity {
        b.push(heading(
            3,
            ctx.t("baseline.maturity.title"),
            "baseline-maturity".into(),
        ));
        b.push(para(ctx.f(
            "baseline.maturity.text",
            &[
                ("date", &ctx.date(m.date)),
                (
                    "score",
                    &m.score.map_or_else(|| "—".to_string(), |s| ctx.pct(s)),
                ),
                (
                    "stars",
                    &ctx.n("baseline.maturity.stars", u64::from(m.stars), &[]),
                ),
            ],
        )));
        let mut t = Table::new(vec![
            ctx.t("baseline.maturity.theme"),
            ctx.t("baseline.maturity.level"),
            ctx.t("baseline.maturity.score"),
        ])
        .caption(ctx.t("baseline.maturity.caption"))
        .numeric(1)
        .numeric(2);
        for th in &m.themes {
            t.row(vec![
                th.name.clone(),
                ctx.f(
                    "baseline.maturity.level_of",
                    &[("level", &th.level.to_string())],
                ),
                th.score.map_or_else(|| "—".to_string(), |s| ctx.pct(s)),
            ]);
        }
        b.push(Block::Table(t));
        b.push(Block::Figure(charts::maturity(ctx, m)));
    }
    b.push(heading(
        3,
        ctx.t("baseline.programme.title"),
        "baseline-programme".into(),
    ));
    b.push(para(ctx.f(
        "baseline.programme.text",
        &[
            ("n", &ctx.int(base.purchases as u64)),
            ("social", &ctx.int(base.with_social as u64)),
            ("environmental", &ctx.int(base.with_environmental as u64)),
        ],
    )));
    b
}

// ---------------------------------------------------------------- 3. axes and targets

fn axis_of(t: &TargetData) -> &'static str {
    match t.dimension {
        Some(Dimension::Social) => "social",
        Some(Dimension::Environmental) => "environmental",
        Some(Dimension::Innovation) => "innovation",
        None => "other",
    }
}

fn shortfall_text(ctx: &Ctx<'_>, basis: Basis, shortfall: rust_decimal::Decimal) -> String {
    match basis {
        Basis::Count => {
            let n = u64::try_from(shortfall.ceil()).unwrap_or(u64::MAX);
            ctx.n("common.purchases", n, &[])
        }
        Basis::Value => ctx.euros(shortfall),
    }
}

/// The target's result in plain words.
fn target_words(ctx: &Ctx<'_>, t: &TargetData) -> Vec<String> {
    let unmet: Vec<_> = t.years.iter().filter(|y| !y.met).collect();
    if unmet.is_empty() {
        let key = if t.years.len() == 1 {
            "axes.met.one"
        } else {
            "axes.met.all"
        };
        return vec![ctx.t(key)];
    }
    unmet
        .iter()
        .map(|y| {
            let cause = y.cause.map(|c| {
                ctx.t(&format!(
                    "cause.{}",
                    serde_json::to_string(&c)
                        .unwrap_or_default()
                        .trim_matches('"')
                ))
            });
            let mut s = ctx.f(
                match t.basis {
                    Basis::Count => "axes.unmet.count",
                    Basis::Value => "axes.unmet.value",
                },
                &[
                    ("year", &y.year.to_string()),
                    (
                        "projected",
                        &y.projected
                            .map_or_else(|| "—".to_string(), |p| ctx.pct_down(p)),
                    ),
                    ("goal", &ctx.pct(y.goal)),
                    ("missing", &shortfall_text(ctx, t.basis, y.shortfall)),
                ],
            );
            if let Some(c) = cause {
                s.push(' ');
                s.push_str(&c);
            }
            s
        })
        .collect()
}

fn axes(ctx: &Ctx<'_>, d: &Data) -> Vec<Block> {
    let mut b = vec![para(ctx.t("axes.intro"))];
    for axis in ["social", "environmental", "innovation", "other"] {
        let ts: Vec<&TargetData> = d.targets.iter().filter(|t| axis_of(t) == axis).collect();
        if ts.is_empty() && axis == "other" {
            continue;
        }
        b.push(heading(
            3,
            ctx.t(&format!("axis.{axis}")),
            format!("axis-{axis}"),
        ));
        if ts.is_empty() {
            b.push(para(ctx.t("axis.none")));
            continue;
        }
        b.push(para(ctx.t(&format!("axis.{axis}.intro"))));
        for t in ts {
            b.push(heading(4, t.label.clone(), anchor("target", &t.id)));
            if !t.indicator.is_empty() {
                b.push(Block::Para(vec![
                    strong(format!(
                        "{}{}",
                        ctx.t("axes.indicator"),
                        ctx.t("common.colon")
                    )),
                    text(format!(" {}", t.indicator)),
                ]));
            }
            if !t.source.is_empty() {
                b.push(Block::Para(vec![
                    strong(format!("{}{}", ctx.t("axes.source"), ctx.t("common.colon"))),
                    text(format!(" {}", t.source)),
                ]));
            }
            let mut tab = Table::new(vec![
                ctx.t("common.year"),
                ctx.t("axes.goal"),
                ctx.t("axes.projected"),
                ctx.t("axes.reached"),
                ctx.t("axes.missing"),
            ])
            .caption(ctx.f("axes.table.caption", &[("target", &t.label)]))
            .numeric(1)
            .numeric(2)
            .numeric(4);
            for y in &t.years {
                let own = |s: Share| if y.met { ctx.pct(s) } else { ctx.pct_down(s) };
                tab.rich_row(vec![
                    vec![text(y.year.to_string())],
                    vec![text(ctx.pct(y.goal))],
                    vec![text(y.projected.map_or_else(|| "—".to_string(), own))],
                    if y.met {
                        vec![text(ctx.t("common.yes"))]
                    } else {
                        vec![strong(ctx.t("common.no"))]
                    },
                    vec![text(if y.shortfall.is_zero() {
                        "—".to_string()
                    } else {
                        shortfall_text(ctx, t.basis, y.shortfall)
                    })],
                ]);
            }
            b.push(Block::Table(tab));
            let n = d.targets.iter().position(|x| x.id == t.id).unwrap_or(0) + 1;
            b.push(Block::Figure(charts::target(ctx, t, n)));
            for s in target_words(ctx, t) {
                b.push(para(s));
            }
        }
    }
    if !d.projected.is_empty() {
        b.push(heading(
            3,
            ctx.t("axes.standard.title"),
            "axes-standard".into(),
        ));
        b.push(para(ctx.t("axes.standard.intro")));
        b.push(Block::Table(standard_table(
            ctx,
            &d.projected,
            "indicator.purchases",
            ctx.t("axes.standard.caption"),
        )));
        b.push(Block::Figure(charts::standard(
            ctx,
            &d.projected,
            "chart-projected",
            "axes.standard.chart",
            "chart.file.projected",
            ctx.t("chart.projected.caption"),
        )));
    }
    b
}

// ---------------------------------------------------------------- 4. plan of actions

/// The label of a family key.
pub(crate) fn family_name(ctx: &Ctx<'_>, key: Option<&str>, kind: &str) -> String {
    match key {
        Some(k) => ctx.f(&format!("actions.family.{kind}"), &[("key", k)]),
        None => ctx.t("actions.family.none"),
    }
}

/// The cell listing a purchase's levers with why each is there.
fn levers_cell(ctx: &Ctx<'_>, d: &Data, l: &LineData) -> Cell {
    if l.levers.is_empty() {
        return vec![text("—")];
    }
    let mut c = Vec::new();
    for (k, lv) in l.levers.iter().enumerate() {
        if k > 0 {
            c.push(Inline::Break);
        }
        c.push(strong(lever_label(d, &lv.id)));
        c.push(text(format!(
            " — {}",
            why(ctx, d, lv, chrono::Datelike::year(&l.launch_date))
        )));
    }
    c
}

fn actions(ctx: &Ctx<'_>, d: &Data) -> Vec<Block> {
    let a = &d.actions;
    let total_hours: u64 = a.lines.iter().map(|l| l.insertion_hours).sum();
    let mut b = vec![para(ctx.f(
        "actions.intro",
        &[
            ("with", &ctx.int(a.purchases_with_levers as u64)),
            ("n", &ctx.int(a.lines.len() as u64)),
            ("hours", &ctx.int(total_hours)),
        ],
    ))];
    // hours per year against the facilitator's capacity
    if !a.insertion_hours.is_empty() {
        let mut t = Table::new(vec![
            ctx.t("common.year"),
            ctx.t("actions.hours.planned"),
            ctx.t("actions.hours.capacity"),
        ])
        .caption(ctx.t("actions.hours.caption"))
        .numeric(1)
        .numeric(2);
        for (y, h) in &a.insertion_hours {
            t.row(vec![
                y.to_string(),
                ctx.int(*h),
                a.capacity_hours.get(y).map_or_else(
                    || ctx.t("actions.hours.no_limit"),
                    |c| c.parse::<u64>().map_or_else(|_| c.clone(), |n| ctx.int(n)),
                ),
            ]);
        }
        b.push(Block::Table(t));
    }

    // levers per family
    b.push(heading(
        3,
        ctx.t("actions.families.title"),
        "actions-families".into(),
    ));
    let mut t = Table::new(vec![
        ctx.t("actions.families.family"),
        ctx.t("actions.families.purchases"),
        ctx.t("actions.families.levers"),
    ])
    .caption(ctx.t("actions.families.caption"))
    .numeric(1);
    for f in &d.actions.families {
        let mut ids: Vec<(&String, &usize)> = f.levers.iter().collect();
        ids.sort_by_cached_key(|(id, _)| lever_order(d, id));
        let ls: Vec<String> = ids
            .into_iter()
            .map(|(id, n)| format!("{} × {}", lever_label(d, id), n))
            .collect();
        t.row(vec![
            family_name(ctx, f.key.as_deref(), f.kind),
            ctx.int(f.lines.len() as u64),
            if ls.is_empty() {
                "—".to_string()
            } else {
                ls.join(&ctx.t("common.semicolon"))
            },
        ]);
    }
    b.push(Block::Table(t));

    // grouped findings
    b.push(heading(
        3,
        ctx.t("actions.attention.title"),
        "actions-attention".into(),
    ));
    if d.findings.is_empty() {
        b.push(para(ctx.t("actions.attention.none")));
    } else {
        b.push(para(ctx.t("actions.attention.intro")));
        let items = d
            .findings
            .iter()
            .map(|g| {
                let mut s = ctx.f(
                    &format!("attention.{}", g.status.as_str()),
                    &[
                        (
                            "obligation",
                            &ctx.t(&format!("obligation.{}", g.obligation.as_str())),
                        ),
                        ("article", &g.article),
                        (
                            "purchases",
                            &ctx.n("common.purchases", g.purchases as u64, &[]),
                        ),
                    ],
                );
                if !g.families.is_empty() {
                    s.push_str(&ctx.f(
                        "attention.families",
                        &[("families", &ctx.join_some(&g.families, 5))],
                    ));
                }
                if !g.services.is_empty() {
                    s.push_str(&ctx.f(
                        "attention.services",
                        &[("services", &ctx.join_some(&g.services, 5))],
                    ));
                }
                s.push('.');
                vec![text(s)]
            })
            .collect();
        b.push(Block::List(items));
    }

    // every lever once, with its model wording and evidence
    if !d.levers.is_empty() {
        b.push(heading(
            3,
            ctx.t("actions.levers.title"),
            "actions-levers".into(),
        ));
        b.push(para(ctx.t("actions.levers.intro")));
        b.push(Block::Table(lever_table(
            ctx,
            d,
            d.levers.keys().map(String::as_str),
            ctx.t("actions.levers.caption"),
        )));
    }

    // one section per family: a table of its purchases with their levers and why
    for f in &d.actions.families {
        let name = family_name(ctx, f.key.as_deref(), f.kind);
        b.push(heading(
            3,
            name.clone(),
            anchor("family", f.key.as_deref().unwrap_or("none")),
        ));
        let mut t = Table::new(vec![
            ctx.t("col.purchase"),
            ctx.t("col.launch_procedure"),
            ctx.t("col.amount"),
            ctx.t("col.levers_why"),
            ctx.t("col.hours"),
        ])
        .caption(ctx.f("actions.family.caption", &[("family", &name)]))
        .numeric(2)
        .numeric(4)
        .widths(&[24, 14, 15, 36, 11]);
        for &i in &f.lines {
            let l = &d.actions.lines[i];
            let mut purchase = vec![strong(l.id.clone()), Inline::Break, text(l.label.clone())];
            if let Some(s) = &l.service {
                purchase.push(Inline::Break);
                purchase.push(em(s.clone()));
            }
            t.rich_row(vec![
                purchase,
                vec![
                    text(ctx.short_date(l.launch_date)),
                    Inline::Break,
                    text(procedure_name(ctx, l)),
                ],
                vec![text(ctx.euros(l.amount.as_decimal()))],
                levers_cell(ctx, d, l),
                vec![text(if l.insertion_hours == 0 {
                    "—".to_string()
                } else {
                    ctx.int(l.insertion_hours)
                })],
            ]);
        }
        b.push(Block::Table(t));
    }
    b
}

// ---------------------------------------------------------------- 5. governance

fn governance(ctx: &Ctx<'_>, d: &Data) -> Vec<Block> {
    let mut b = Vec::new();
    b.push(heading(
        3,
        ctx.t("governance.who.title"),
        "governance-who".into(),
    ));
    let services: Vec<String> = d.sheets.iter().filter_map(|s| s.service.clone()).collect();
    let hours: u64 = d.actions.lines.iter().map(|l| l.insertion_hours).sum();
    let mut who = vec![
        vec![text(ctx.t("governance.who.purchasing"))],
        vec![text(ctx.f(
            "governance.who.services",
            &[
                ("n", &ctx.int(services.len() as u64)),
                ("services", &ctx.join_some(&services, 8)),
            ],
        ))],
    ];
    if hours > 0 {
        who.push(vec![text(
            ctx.f("governance.who.facilitator", &[("hours", &ctx.int(hours))]),
        )]);
    }
    who.push(vec![text(ctx.t("governance.who.suppliers"))]);
    who.push(vec![text(ctx.t("governance.who.assembly"))]);
    b.push(Block::List(who));

    b.push(heading(
        3,
        ctx.t("governance.indicators.title"),
        "governance-indicators".into(),
    ));
    b.push(para(ctx.f(
        "governance.indicators.intro",
        &[(
            "threshold",
            &ctx.euros(rust_decimal::Decimal::from(
                crate::document::data::DECP_PUBLICATION_THRESHOLD,
            )),
        )],
    )));
    let mut t = Table::new(vec![
        ctx.t("governance.indicators.indicator"),
        ctx.t("governance.indicators.measure"),
        ctx.t("governance.indicators.source"),
    ])
    .caption(ctx.t("governance.indicators.caption"))
    .widths(&[27, 40, 33]);
    for k in ["social", "environmental", "innovative"] {
        t.row(vec![
            ctx.t(&format!("governance.indicator.{k}")),
            ctx.t(&format!("governance.indicator.{k}.measure")),
            ctx.t(&format!("governance.indicator.{k}.source")),
        ]);
    }
    if hours > 0 {
        t.row(vec![
            ctx.t("governance.indicator.hours"),
            ctx.t("governance.indicator.hours.measure"),
            ctx.t("governance.indicator.hours.source"),
        ]);
    }
    let agec = d.targets.iter().any(|t| t.id.starts_with("agec-"))
        || d.sources.iter().any(|s| s.article.contains("AGEC"));
    if agec {
        t.row(vec![
            ctx.t("governance.indicator.agec"),
            ctx.t("governance.indicator.agec.measure"),
            ctx.t("governance.indicator.agec.source"),
        ]);
    }
    if d.targets.iter().any(|t| t.id.starts_with("egalim-")) {
        t.row(vec![
            ctx.t("governance.indicator.egalim"),
            ctx.t("governance.indicator.egalim.measure"),
            ctx.t("governance.indicator.egalim.source"),
        ]);
    }
    b.push(Block::Table(t));
    if !d.targets.is_empty() {
        let items = d
            .targets
            .iter()
            .map(|t| {
                vec![
                    strong(t.label.clone()),
                    text(format!(
                        "{} {}",
                        ctx.t("common.colon"),
                        ctx.t(match t.basis {
                            Basis::Count => "governance.target.count",
                            Basis::Value => "governance.target.value",
                        })
                    )),
                ]
            })
            .collect();
        b.push(para(ctx.t("governance.targets.intro")));
        b.push(Block::List(items));
    }

    b.push(heading(
        3,
        ctx.t("governance.calendar.title"),
        "governance-calendar".into(),
    ));
    let mut t = Table::new(vec![
        ctx.t("governance.calendar.when"),
        ctx.t("governance.calendar.what"),
    ])
    .caption(ctx.t("governance.calendar.caption"));
    t.row(vec![
        ctx.t("governance.calendar.continuous"),
        ctx.t("governance.calendar.continuous.what"),
    ]);
    for y in d.period.first_year..=d.period.last_year {
        let next = (y + 1).to_string();
        let year = y.to_string();
        if y == d.period.last_year {
            t.row(vec![
                ctx.f("governance.calendar.end", &[("year", &year)]),
                ctx.t("governance.calendar.revise"),
            ]);
        }
        t.row(vec![
            ctx.f("governance.calendar.q1", &[("year", &next)]),
            ctx.f("governance.calendar.review", &[("year", &year)]),
        ]);
        if agec {
            t.row(vec![
                ctx.f("governance.calendar.june", &[("year", &next)]),
                ctx.f("governance.calendar.agec", &[("year", &year)]),
            ]);
        }
        if (y - d.period.first_year) % 2 == 1 || y == d.period.last_year {
            t.row(vec![
                ctx.f("governance.calendar.publish_when", &[("year", &next)]),
                ctx.t("governance.calendar.publish"),
            ]);
        }
    }
    b.push(Block::Table(t));
    b
}

// ---------------------------------------------------------------- 6. annexes

fn status_word(ctx: &Ctx<'_>, s: CoverageStatus) -> String {
    ctx.t(&format!("coverage.{}", s.as_str()))
}

fn annexes(ctx: &Ctx<'_>, d: &Data, sheets: Vec<Vec<Block>>) -> Vec<Block> {
    let mut b = vec![para(ctx.t("annex.intro"))];

    // A. obligations per purchase
    b.push(heading(
        3,
        ctx.t("annex.obligations.title"),
        "annex-obligations".into(),
    ));
    b.push(para(ctx.t("annex.obligations.intro")));
    let mut t = Table::new(vec![
        ctx.t("col.purchase"),
        ctx.t("col.family"),
        ctx.t("col.service"),
        ctx.t("col.obligations"),
    ])
    .caption(ctx.t("annex.obligations.caption"))
    .widths(&[26, 12, 14, 48]);
    for l in &d.actions.lines {
        if l.obligations.is_empty() {
            continue;
        }
        let mut cell = Vec::new();
        for (k, o) in l.obligations.iter().enumerate() {
            if k > 0 {
                cell.push(Inline::Break);
            }
            cell.push(text(format!(
                "{} ({}){} {}",
                ctx.t(&format!("obligation.{}", o.obligation.as_str())),
                o.article,
                ctx.t("common.colon"),
                status_word(ctx, o.status)
            )));
        }
        t.rich_row(vec![
            vec![strong(l.id.clone()), Inline::Break, text(l.label.clone())],
            vec![text(l.family.clone().unwrap_or_else(|| "—".into()))],
            vec![text(l.service.clone().unwrap_or_else(|| "—".into()))],
            cell,
        ]);
    }
    b.push(Block::Table(t));
    let skipped: Vec<String> = d
        .actions
        .lines
        .iter()
        .filter(|l| l.obligations.is_empty())
        .map(|l| l.id.clone())
        .collect();
    if !skipped.is_empty() {
        b.push(para(ctx.f(
            "annex.obligations.skipped",
            &[
                (
                    "purchases",
                    &ctx.n("common.purchases", skipped.len() as u64, &[]),
                ),
                ("ids", &ctx.join_some(&skipped, 20)),
            ],
        )));
    }

    // B. method
    b.push(heading(
        3,
        ctx.t("annex.method.title"),
        "annex-method".into(),
    ));
    for k in ["annex.method.p1", "annex.method.p2", "annex.method.p3"] {
        b.push(para(ctx.t(k)));
    }
    let m = &d.method;
    let f = |x: f64, dp: u32| {
        rust_decimal::Decimal::from_f64_retain(x).map_or_else(|| x.to_string(), |v| ctx.dec(v, dp))
    };
    let mut t = Table::new(vec![
        ctx.t("annex.method.figure"),
        ctx.t("annex.method.value"),
    ])
    .caption(ctx.t("annex.method.caption"))
    .numeric(1);
    let gap = |g: Option<f64>| {
        g.and_then(rust_decimal::Decimal::from_f64_retain)
            .and_then(|g| {
                Share::new(g.clamp(rust_decimal::Decimal::ZERO, rust_decimal::Decimal::ONE)).ok()
            })
            .map_or_else(
                || "—".into(),
                |s| {
                    crate::render::format::percent(
                        s,
                        crate::render::format::Rounding::Nearest,
                        ctx.lang,
                    )
                },
            )
    };
    let bound = |x: Option<f64>, dp: u32| x.map_or_else(|| "—".into(), |x| f(x, dp));
    // the parts of the objective in their order, each with its own bound and gap (never one
    // mixed number under the lexicographic objective)
    t.row(vec![
        ctx.t("annex.method.law"),
        ctx.f(
            "annex.method.law_value",
            &[
                ("met", &ctx.int(m.law_met as u64)),
                ("total", &ctx.int(m.law_to_meet as u64)),
            ],
        ),
    ]);
    t.row(vec![
        ctx.t("annex.method.shortfall"),
        f(m.shortfall.value, 2),
    ]);
    t.row(vec![
        ctx.t("annex.method.shortfall_bound"),
        bound(m.shortfall.bound, 2),
    ]);
    t.row(vec![
        ctx.t("annex.method.shortfall_gap"),
        gap(m.shortfall.gap),
    ]);
    t.row(vec![
        ctx.t("annex.method.effort_part"),
        f(m.effort.value, 1),
    ]);
    t.row(vec![
        ctx.t("annex.method.effort_bound"),
        bound(m.effort.bound, 1),
    ]);
    t.row(vec![ctx.t("annex.method.effort_gap"), gap(m.effort.gap)]);
    if !m.lexicographic {
        t.row(vec![ctx.t("annex.method.weight"), f(m.shortfall_weight, 0)]);
        t.row(vec![ctx.t("annex.method.objective"), f(m.objective, 3)]);
        t.row(vec![ctx.t("annex.method.bound"), f(m.lower_bound, 3)]);
        t.row(vec![ctx.t("annex.method.gap"), gap(Some(m.gap))]);
    }
    b.push(Block::Table(t));

    // C. sources and confidence
    b.push(heading(
        3,
        ctx.t("annex.sources.title"),
        "annex-sources".into(),
    ));
    b.push(para(ctx.t("annex.sources.intro")));
    b.push(Block::List(
        ["v", "s", "unknown"]
            .iter()
            .map(|k| vec![text(ctx.t(&format!("confidence.{k}")))])
            .collect(),
    ));
    let mut t = Table::new(vec![
        ctx.t("annex.sources.what"),
        ctx.t("annex.sources.value"),
        ctx.t("annex.sources.article"),
        ctx.t("annex.sources.period"),
        ctx.t("annex.sources.confidence"),
    ])
    .caption(ctx.t("annex.sources.caption"))
    .numeric(1)
    .widths(&[34, 15, 25, 15, 11]);
    for s in &d.sources {
        // the rulebook's references are written in English: printed in English documents,
        // kept in the JSON of both
        let mut art = s.article.clone();
        if let (Some(src), crate::values::lang::Lang::En) = (&s.source, ctx.lang) {
            art.push_str(&format!(" — {src}"));
        }
        t.row(vec![
            s.what.clone(),
            s.value.clone().unwrap_or_else(|| "—".into()),
            art,
            period_words(ctx, &s.period),
            s.confidence.as_str().to_string(),
        ]);
    }
    b.push(Block::Table(t));
    b.push(para(ctx.t("annex.sources.references")));
    b.push(para(ctx.t("annex.sources.insertion")));

    // D. the prescriber sheets
    b.push(heading(
        3,
        ctx.t("annex.sheets.title"),
        "annex-sheets".into(),
    ));
    b.push(para(ctx.n(
        "annex.sheets.intro",
        d.sheets.len() as u64,
        &[],
    )));
    for blocks in sheets {
        b.push(Block::Section {
            class: "sheet",
            brk: Break::Page,
            blocks,
        });
    }
    b
}

/// A period `2026-04-01/..` in words.
fn period_words(ctx: &Ctx<'_>, p: &str) -> String {
    let parse = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    match p.split_once('/') {
        Some((a, "..")) => parse(a).map_or_else(
            || p.to_string(),
            |a| ctx.f("common.from_date", &[("date", &ctx.short_date(a))]),
        ),
        Some((a, b)) => match (parse(a), parse(b)) {
            (Some(a), Some(b)) => ctx.f(
                "common.date_range",
                &[("from", &ctx.short_date(a)), ("to", &ctx.short_date(b))],
            ),
            _ => p.to_string(),
        },
        None => p.to_string(),
    }
}
