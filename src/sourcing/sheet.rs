//! The sourcing sheets: one per prescribing service, in French by default (English
//! available), through the rendering layer (the document model written as Markdown or as one
//! self-contained HTML file), as the SPASER document's prescriber sheets are.

use crate::render::blocks::{Block, Break, Doc, Inline, Table, anchor, strong, text as run};
use crate::render::ctx::Ctx;
use crate::render::messages::Messages;
use crate::render::{html, markdown};
use crate::sourcing::actions::{NO_SERVICE, SourcingAction, SourcingPlan};
use crate::sourcing::innovation::RouteStatus;
use crate::sourcing::ladder::Recommendation;
use crate::sourcing::options::Level;
use crate::sourcing::status::StatusFamily;
use crate::sourcing::text;
use crate::values::lang::Lang;

/// Text with `**strong**` runs as inlines.
fn inlines(s: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    for (i, part) in s.split("**").enumerate() {
        if part.is_empty() {
            continue;
        }
        out.push(if i % 2 == 1 { strong(part) } else { run(part) });
    }
    out
}

fn heading(level: u8, text: String) -> Block {
    Block::Heading {
        level,
        id: anchor("sourcing-", &text),
        text,
    }
}

fn para(s: String) -> Block {
    Block::Para(inlines(&s))
}

fn list(items: Vec<String>) -> Block {
    Block::List(items.iter().map(|i| inlines(i)).collect())
}

fn table(headers: Vec<String>, numeric: Vec<usize>, rows: Vec<Vec<String>>) -> Block {
    let mut t = Table::new(headers);
    for i in numeric {
        t = t.numeric(i);
    }
    for r in rows {
        t.rich_row(r.iter().map(|c| inlines(c)).collect());
    }
    Block::Table(t)
}

/// The sentence every sheet carries: the perimeter finds capacity, it never restricts
/// competition.
pub(crate) fn location_notice(lang: Lang) -> &'static str {
    Messages::embedded().text("sourcing.notice", lang)
}

fn family_key(f: Option<StatusFamily>) -> &'static str {
    match f {
        Some(StatusFamily::Insertion) => "sourcing.family.insertion",
        Some(StatusFamily::Disability) => "sourcing.family.disability",
        Some(StatusFamily::Prison) => "sourcing.family.prison",
        Some(StatusFamily::SocialEconomy) => "sourcing.family.social_economy",
        Some(StatusFamily::Environmental) => "sourcing.family.environmental",
        Some(StatusFamily::Innovation) => "sourcing.family.innovation",
        Some(StatusFamily::Quality) => "sourcing.family.quality",
        _ => "sourcing.family.other",
    }
}

fn reach_key(level: Level) -> &'static str {
    match level {
        Level::Departement => "sourcing.reach.departement",
        Level::Region => "sourcing.reach.region",
        Level::National => "sourcing.reach.national",
    }
}

fn route_status_key(status: RouteStatus) -> &'static str {
    match status {
        RouteStatus::Available => "sourcing.route.available",
        RouteStatus::Conditional => "sourcing.route.conditional",
        RouteStatus::NotDeclared => "sourcing.route.not_declared",
        RouteStatus::NotAvailable => "sourcing.route.not_available",
        _ => "sourcing.route.no_rule",
    }
}

/// A rung's title in the sheet's language.
fn rung_title(ctx: &Ctx<'_>, r: &Recommendation) -> &'static str {
    ctx.pick(r.rung.title_fr(), r.rung.title_en())
}

/// An article as written in the sheet's language (`L2172-3 al. 1 ; R2172-20 à R2172-32`, a
/// narrow no-break space before the French semicolon).
fn article(ctx: &Ctx<'_>, article: &str) -> String {
    text::article(article, ctx.lang == Lang::En)
}

fn rec_line(ctx: &Ctx<'_>, dimension_key: &str, r: &Recommendation) -> String {
    let mut s = ctx.f(
        "sourcing.recommendation",
        &[
            ("dimension", &ctx.t(dimension_key)),
            ("title", rung_title(ctx, r)),
            ("basis", &r.legal_basis),
            ("reason", r.reason(ctx.lang)),
        ],
    );
    if !r.levers.is_empty() {
        s.push(' ');
        s.push_str(&ctx.f(
            "sourcing.recommendation.levers",
            &[("levers", &r.levers.join(", "))],
        ));
    }
    s
}

fn action_blocks(ctx: &Ctx<'_>, a: &SourcingAction, out: &mut Vec<Block>) {
    let en = ctx.lang == Lang::En;
    out.push(heading(2, format!("{} — {}", a.line, a.label)));
    let window = ctx.f(
        if a.sourcing_late {
            "sourcing.window.late"
        } else {
            "sourcing.window"
        },
        &[
            ("from", &text::date(a.sourcing_from, en)),
            ("until", &text::date(a.sourcing_until, en)),
        ],
    );
    let amount = ctx.f("sourcing.amount", &[("amount", &text::euros(a.amount, en))]);
    let found = ctx.f(
        "sourcing.found",
        &[
            ("reach", &ctx.t(reach_key(a.reach))),
            ("n", &a.suppliers_in_reach.to_string()),
        ],
    );
    out.push(list(vec![amount, window, found]));
    out.push(heading(3, ctx.t("sourcing.supports")));
    let mut recs = vec![rec_line(ctx, "sourcing.dimension.social", &a.social)];
    for r in &a.environmental {
        recs.push(rec_line(ctx, "sourcing.dimension.environmental", r));
    }
    out.push(list(recs));

    out.push(heading(3, ctx.t("sourcing.innovative")));
    let i = &a.innovation;
    let mut items = vec![ctx.f(
        "sourcing.indicator",
        &[(
            "value",
            &ctx.t(if i.innovative {
                "common.yes"
            } else {
                "common.no"
            }),
        )],
    )];
    if i.innovation_criterion {
        items.push(ctx.t("sourcing.innovation_criterion"));
    }
    for r in &i.routes {
        items.push(ctx.f(
            "sourcing.route",
            &[
                ("article", &article(ctx, &r.article)),
                ("status", &ctx.t(route_status_key(r.status))),
                ("confidence", &r.confidence.to_string()),
                ("reason", ctx.pick(&r.reason_fr, &r.reason_en)),
            ],
        ));
    }
    out.push(list(items));

    out.push(heading(3, ctx.t("sourcing.meet")));
    if a.meet.is_empty() {
        out.push(para(ctx.t("sourcing.meet.none")));
    }
    for g in &a.meet {
        out.push(para(format!(
            "**{}** ({})",
            ctx.t(family_key(g.family)),
            g.count
        )));
        let headers = [
            "sourcing.col.company",
            "sourcing.col.siret",
            "sourcing.col.departement",
            "sourcing.col.statuses",
            "sourcing.col.staff",
            "sourcing.col.turnover",
        ];
        let rows = g
            .suppliers
            .iter()
            .map(|s| {
                vec![
                    s.name.clone(),
                    s.siret.map(|x| x.to_string()).unwrap_or_default(),
                    s.departement
                        .as_ref()
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    s.statuses
                        .iter()
                        .map(|st| st.as_str().to_uppercase())
                        .collect::<Vec<_>>()
                        .join(", "),
                    s.staff_band
                        .map(|b| match b.most() {
                            Some(m) if m == b.fewest() => m.to_string(),
                            Some(m) => format!("{}–{m}", b.fewest()),
                            None => format!("{}+", b.fewest()),
                        })
                        .unwrap_or_default(),
                    s.turnover
                        .map(|t| text::euros_short(t, en))
                        .unwrap_or_default(),
                ]
            })
            .collect();
        out.push(table(
            headers.iter().map(|h| ctx.t(h)).collect(),
            vec![5],
            rows,
        ));
        if g.count > g.suppliers.len() {
            let more = g.count - g.suppliers.len();
            out.push(para(
                ctx.f("sourcing.meet.more", &[("n", &more.to_string())]),
            ));
        }
    }
}

fn sheet_blocks(ctx: &Ctx<'_>, plan: &SourcingPlan, service: &str) -> Vec<Block> {
    let en = ctx.lang == Lang::En;
    let mut out = vec![
        heading(1, sheet_title(ctx, service)),
        para(ctx.f(
            "sourcing.as_of",
            &[
                ("buyer", &plan.buyer),
                ("date", &text::date(plan.reference, en)),
            ],
        )),
        Block::Para(vec![crate::render::blocks::em(location_notice(ctx.lang))]),
    ];
    let actions: Vec<&SourcingAction> = plan.of_service(service).collect();
    let headers = [
        "sourcing.col.purchase",
        "sourcing.col.value",
        "sourcing.col.sourcing_from",
        "sourcing.col.social",
        "sourcing.col.environment",
        "sourcing.col.route",
    ];
    let semicolon = ctx.t("common.semicolon");
    let rows = actions
        .iter()
        .map(|a| {
            let env: Vec<&str> = a.environmental.iter().map(|r| rung_title(ctx, r)).collect();
            let route = a
                .innovation
                .routes
                .iter()
                .filter(|r| matches!(r.status, RouteStatus::Available | RouteStatus::Conditional))
                .map(|r| article(ctx, &r.article))
                .collect::<Vec<_>>()
                .join(&semicolon);
            vec![
                format!("{} — {}", a.line, a.label),
                text::euros(a.amount, en),
                format!(
                    "{}{}",
                    text::date(a.sourcing_from, en),
                    if a.sourcing_late { " ⚠" } else { "" }
                ),
                rung_title(ctx, &a.social).to_string(),
                env.join(&semicolon),
                if route.is_empty() {
                    "—".to_string()
                } else {
                    route
                },
            ]
        })
        .collect();
    out.push(table(
        headers.iter().map(|h| ctx.t(h)).collect(),
        vec![1],
        rows,
    ));
    for a in &actions {
        action_blocks(ctx, a, &mut out);
    }
    out.push(heading(2, ctx.t("sourcing.reminders")));
    out.push(list(vec![
        ctx.t("sourcing.reminder.sourcing"),
        ctx.t("sourcing.reminder.reserved"),
        ctx.t("sourcing.reminder.thresholds"),
    ]));
    out
}

/// The title of a sheet.
fn sheet_title(ctx: &Ctx<'_>, service: &str) -> String {
    let name = if service == NO_SERVICE {
        ctx.t("sourcing.no_service")
    } else {
        service.to_string()
    };
    ctx.f("sourcing.sheet_title", &[("service", &name)])
}

fn doc(plan: &SourcingPlan, services: &[&str], lang: Lang) -> Doc {
    let ctx = Ctx {
        m: Messages::embedded(),
        lang,
    };
    let title = match services {
        [one] => sheet_title(&ctx, one),
        _ => ctx.f("sourcing.sheets_title", &[("buyer", &plan.buyer)]),
    };
    let blocks = services
        .iter()
        .map(|s| Block::Section {
            class: "sheet",
            brk: Break::Page,
            blocks: sheet_blocks(&ctx, plan, s),
        })
        .collect();
    Doc {
        lang,
        title,
        blocks,
    }
}

impl SourcingPlan {
    /// The sourcing sheet of prescribing service `service` (`""` for the lines without one)
    /// as Markdown, in French (the default a French buyer publishes) or English: the location notice, a summary table, then per line the sourcing window, what
    /// the market supports (social and environmental, with legal basis and reason), the
    /// innovative-purchase routes and the suppliers to meet by status. Deterministic.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use spaser::{Catalogue, InnovationRules, LeadTimes, Programme, Rulebook};
    /// use spaser::sourcing::{Directory, SourcingOptions, SourcingPlan};
    /// let today = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    /// let options = SourcingOptions::default().departement("49".parse()?);
    /// let plan = SourcingPlan::build(
    ///     Programme::sample(), Directory::sample(), Catalogue::embedded(), Rulebook::embedded(),
    ///     InnovationRules::embedded(), &options, &LeadTimes::default(), today)?;
    /// let md = plan.sheet_markdown("Moyens généraux", spaser::Lang::Fr);
    /// assert!(md.starts_with("# Fiche de sourçage — Moyens généraux"));
    /// assert!(md.contains("jamais à restreindre la concurrence"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn sheet_markdown(&self, service: &str, lang: Lang) -> String {
        markdown::write(&doc(self, &[service], lang))
    }

    /// The sheet of `service` as one self-contained, print-ready HTML file.
    pub fn sheet_html(&self, service: &str, lang: Lang) -> String {
        html::write(&doc(self, &[service], lang))
    }

    /// Every sheet, one per prescribing service, as (service, Markdown), in service order.
    pub fn sheets_markdown(&self, lang: Lang) -> Vec<(String, String)> {
        self.services()
            .into_iter()
            .map(|s| (s.to_string(), self.sheet_markdown(s, lang)))
            .collect()
    }

    /// Every sheet in one HTML file, each starting a new page when printed.
    pub fn sheets_html(&self, lang: Lang) -> String {
        html::write(&doc(self, &self.services(), lang))
    }
}
