//! Pieces shared by the parts of the document and the prescriber sheets: headings, the period
//! in words, why a lever is on a purchase, the levers' cells and table.

use crate::document::data::{Data, LeverData, LineData, LineLever};
use crate::render::blocks::{Block, Cell, Inline, Table, em, strong, text};
use crate::render::ctx::Ctx;
use crate::vocabulary::dimension::Dimension;

/// A heading.
pub(crate) fn heading(level: u8, text: String, id: String) -> Block {
    Block::Heading { level, text, id }
}

/// The period covered in words (`2026–2028`).
pub(crate) fn period_text(ctx: &Ctx<'_>, d: &Data) -> String {
    if d.period.first_year == d.period.last_year {
        d.period.first_year.to_string()
    } else {
        ctx.f(
            "common.years_range",
            &[
                ("first", &d.period.first_year.to_string()),
                ("last", &d.period.last_year.to_string()),
            ],
        )
    }
}

/// Why a lever is on a purchase, in words.
pub(crate) fn why(ctx: &Ctx<'_>, d: &Data, lv: &LineLever, year: i32) -> String {
    let mut parts = Vec::new();
    if lv.locked {
        parts.push(ctx.t("why.locked"));
    }
    let lever = d
        .levers
        .get(&lv.id)
        .map(|l| crate::util::text::fold(&l.label));
    for (o, art) in &lv.obligations {
        let name = ctx.t(&format!("obligation.{}", o.as_str()));
        if lever.as_deref() == Some(crate::util::text::fold(&name).as_str()) {
            parts.push(ctx.f("why.obligation_same", &[("article", art)]));
        } else {
            parts.push(ctx.f("why.obligation", &[("obligation", &name), ("article", art)]));
        }
    }
    if !lv.targets.is_empty() {
        let names: Vec<String> = lv
            .targets
            .iter()
            .map(|id| {
                let label = d
                    .targets
                    .iter()
                    .find(|t| &t.id == id)
                    .map_or_else(|| id.clone(), |t| t.label.clone());
                ctx.f("common.quoted", &[("text", &label)])
            })
            .collect();
        parts.push(ctx.f(
            "why.targets",
            &[("targets", &ctx.join(&names)), ("year", &year.to_string())],
        ));
    }
    if let Some(c) = &lv.capacity {
        parts.push(ctx.f("why.capacity", &[("reason", c)]));
    }
    if parts.is_empty() {
        return ctx.t("why.none");
    }
    let mut s = parts.join(&ctx.t("common.semicolon"));
    if let Some(first) = s.chars().next() {
        let upper: String = first.to_uppercase().collect();
        s.replace_range(..first.len_utf8(), &upper);
    }
    s
}

/// A lever's label in the document's language (its id when the plan does not name it).
pub(crate) fn lever_label(d: &Data, id: &str) -> String {
    d.levers
        .get(id)
        .map_or_else(|| id.to_string(), |l| l.label.clone())
}

/// A purchase's procedure in words.
pub(crate) fn procedure_name(ctx: &Ctx<'_>, l: &LineData) -> String {
    ctx.t(&format!("procedure.{}", l.procedure.as_str()))
}

/// The order of levers in tables: social, environmental, innovation, then by label.
pub(crate) fn lever_order(d: &Data, id: &str) -> (u8, String) {
    match d.levers.get(id) {
        Some(l) => (
            match l.dimension {
                Some(Dimension::Social) => 0,
                Some(Dimension::Environmental) => 1,
                Some(Dimension::Innovation) => 2,
                None => 3,
            },
            crate::util::text::fold(&l.label),
        ),
        None => (4, id.to_string()),
    }
}

/// A lever's label, with its kind in italics when the label does not already say it.
pub(crate) fn lever_cell(l: &LeverData) -> Cell {
    let mut c: Cell = vec![strong(l.label.clone())];
    if !l.kind.is_empty() && l.kind.to_lowercase() != l.label.to_lowercase() {
        c.push(Inline::Break);
        c.push(em(l.kind.clone()));
    }
    c
}

/// The table of levers with their model wording and the evidence to ask of the supplier.
pub(crate) fn lever_table<'a>(
    ctx: &Ctx<'_>,
    d: &Data,
    ids: impl Iterator<Item = &'a str>,
    caption: String,
) -> Table {
    let mut t = Table::new(vec![
        ctx.t("col.lever"),
        ctx.t("col.wording"),
        ctx.t("col.evidence"),
    ])
    .caption(caption)
    .widths(&[28, 47, 25]);
    let mut ids: Vec<&str> = ids.collect();
    ids.sort_by_cached_key(|id| lever_order(d, id));
    for id in ids {
        let Some(l) = d.levers.get(id) else { continue };
        t.rich_row(vec![
            lever_cell(l),
            vec![text(l.wording.clone().unwrap_or_else(|| {
                ctx.f("col.no_wording", &[("reference", &l.legal_reference)])
            }))],
            vec![text(if l.evidence.is_empty() {
                "—".to_string()
            } else {
                l.evidence.join(&ctx.t("common.semicolon"))
            })],
        ]);
    }
    t
}
