//! The English report of a plan in Markdown: every sentence comes from the message catalogue
//! (`src/data/messages.json`, keys `report.*`); the SPASER document a buyer publishes is
//! [`Plan::document`](crate::Plan::document).

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::indicators::{Basis, GroupBy, STANDARD_ENVIRONMENTAL, STANDARD_SOCIAL};
use crate::plan::planner::{Objective, Plan, TargetStatus};
use crate::render::messages::Messages;
use crate::values::lang::Lang;
use crate::values::money::euros_display as euros;
use crate::values::share::Share;

fn pct(s: Option<Share>) -> String {
    match s {
        Some(s) => format!(
            "{} %",
            (s.as_decimal() * rust_decimal::Decimal::ONE_HUNDRED).round_dp(1)
        ),
        None => "—".to_string(),
    }
}

/// A share that falls short of its goal, rounded down to 0.1 point: 29.96 % of a 30 % goal
/// prints 29.9 %, never as the goal it misses.
fn pct_short(s: Option<Share>) -> String {
    match s {
        Some(s) => format!(
            "{} %",
            (s.as_decimal() * rust_decimal::Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::ToZero)
        ),
        None => "—".to_string(),
    }
}

/// Text for a table cell (a `|` would end the cell).
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The report's messages, in English.
struct En(&'static Messages);

impl En {
    fn t(&self, key: &str) -> &'static str {
        self.0.get(key, Lang::En).unwrap_or("")
    }

    fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.0.format(key, Lang::En, args)
    }

    /// A table header row and its separator from `report.col.*` keys.
    fn header(&self, cols: &[&str]) -> String {
        let names: Vec<&str> = cols
            .iter()
            .map(|c| self.t(&format!("report.col.{c}")))
            .collect();
        format!(
            "| {} |\n|{}\n",
            names.join(" | "),
            "---|".repeat(cols.len())
        )
    }

    fn purchases(&self, n: impl std::fmt::Display) -> String {
        self.f("report.purchases", &[("n", &n.to_string())])
    }
}

impl Plan {
    /// The plan's report in English Markdown: buyer and SPASER obligation, targets year by
    /// year (goal vs projected, by count and by value), levers per family and per prescribing
    /// service, the levers used (label, legal basis, purchases), obligations coverage with the
    /// findings grouped by cause, insertion hours vs capacity, unmet targets and what would
    /// reach them, and the optimisation figures. Deterministic. The document a buyer
    /// publishes, in French or English, is [`Plan::document`].
    ///
    /// ```
    /// use spaser::{Catalogue, PlanOptions, Planner, Programme, Rulebook, Targets};
    /// let programme = Programme::sample();
    /// let targets = Targets::defaults_for(programme, Rulebook::embedded());
    /// let plan = Planner::new(Catalogue::embedded(), Rulebook::embedded())
    ///     .plan(programme, &targets, &PlanOptions::default())?;
    /// let md = plan.to_markdown();
    /// assert!(md.starts_with("# SPASER"));
    /// assert!(md.contains("## Targets"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn to_markdown(&self) -> String {
        let m = En(Messages::embedded());
        let mut o = String::new();
        let _ = writeln!(o, "# {}\n", m.f("report.title", &[("buyer", &self.buyer)]));
        let kind = m.t(&format!("report.buyer_kind.{}", self.buyer_kind.as_str()));
        let _ = writeln!(o, "{}\n", m.f("report.buyer", &[("kind", kind)]));
        let _ = writeln!(o, "## {}\n", m.t("context.spaser.title"));
        match &self.spaser {
            Some(f) => {
                let status = serde_json::to_string(&f.status).unwrap_or_default();
                let status = m.t(&format!("report.spaser.{}", status.trim_matches('"')));
                let _ = writeln!(
                    o,
                    "{}\n",
                    m.f(
                        "report.spaser.line",
                        &[
                            ("article", &f.article),
                            ("confidence", f.confidence.as_str()),
                            ("status", status),
                            ("reason", &f.reason),
                        ],
                    )
                );
            }
            None => {
                let _ = writeln!(o, "{}\n", m.t("report.spaser.no_rule"));
            }
        }

        let _ = writeln!(o, "## {}\n", m.t("report.targets.title"));
        o.push_str(&m.header(&[
            "target",
            "year",
            "basis",
            "goal",
            "projected",
            "by_count",
            "by_value",
            "met",
            "shortfall",
        ]));
        for t in &self.targets {
            // an unmet target's own share is rounded down (it must not print as its goal)
            let own = |x| if t.met { pct(x) } else { pct_short(x) };
            let (count, value) = match t.basis {
                Basis::Count => (own(t.projected), pct(t.projected_other_basis)),
                Basis::Value => (pct(t.projected_other_basis), own(t.projected)),
            };
            let no = format!("**{}**", m.t("common.no"));
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                t.id,
                t.year,
                m.t(&format!("report.basis.{}", t.basis)),
                pct(Some(t.goal)),
                own(t.projected),
                count,
                value,
                match t.status {
                    TargetStatus::NoPurchaseInScope => m.t("report.status.no_purchase_in_scope"),
                    _ if t.met => m.t("common.yes"),
                    _ => &no,
                },
                match t.basis {
                    _ if t.shortfall.is_zero() => "—".to_string(),
                    Basis::Count => m.purchases(t.shortfall.ceil()),
                    Basis::Value => euros(t.shortfall),
                }
            );
        }
        o.push('\n');
        let mut sources: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
        for t in &self.targets {
            sources.insert(&t.id, (&t.label, &t.source));
        }
        for (id, (label, src)) in sources {
            let key = match (label.is_empty(), src.is_empty()) {
                (true, true) => continue,
                (false, true) => "report.target.label",
                (true, false) => "report.target.source",
                (false, false) => "report.target.label_source",
            };
            let _ = writeln!(
                o,
                "{}",
                m.f(key, &[("id", id), ("label", label), ("source", src)])
            );
        }
        o.push('\n');

        let _ = writeln!(o, "## {}\n", m.t("report.standard.title"));
        o.push_str(&m.header(&[
            "year",
            "social_count",
            "social_value",
            "environmental_count",
            "environmental_value",
        ]));
        for y in self.projected.years() {
            let s = self.projected.total(STANDARD_SOCIAL, y);
            let e = self.projected.total(STANDARD_ENVIRONMENTAL, y);
            let _ = writeln!(
                o,
                "| {y} | {} | {} | {} | {} |",
                pct(s.and_then(|m| m.count_share())),
                pct(s.and_then(|m| m.value_share())),
                pct(e.and_then(|m| m.count_share())),
                pct(e.and_then(|m| m.value_share())),
            );
        }
        o.push('\n');

        for (what, by) in [("family", GroupBy::Family), ("service", GroupBy::Service)] {
            let title = m.t(&format!("report.per.{what}"));
            let none = m.t(&format!("report.none.{what}"));
            let _ = writeln!(o, "## {}\n", m.f("report.levers_per", &[("what", title)]));
            let mut groups: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
            for a in &self.assignments {
                let key = match by {
                    GroupBy::Family => a.family.clone(),
                    _ => a.service.clone(),
                }
                .unwrap_or_else(|| none.to_string());
                let g = groups.entry(key).or_default();
                for l in &a.levers {
                    *g.entry(l.clone()).or_default() += 1;
                }
            }
            let _ = writeln!(o, "| {title} | {} |\n|---|---|", m.t("report.col.levers"));
            for (g, ls) in &groups {
                let list: Vec<String> = ls.iter().map(|(l, n)| format!("{l} × {n}")).collect();
                let _ = writeln!(o, "| {g} | {} |", list.join(", "));
            }
            o.push('\n');
        }

        if !self.levers.is_empty() {
            let _ = writeln!(o, "## {}\n", m.t("report.levers_used.title"));
            o.push_str(&m.header(&["lever", "what", "legal_basis", "purchases"]));
            for (id, l) in &self.levers {
                let _ = writeln!(
                    o,
                    "| {id} | {} — *{}* | {} | {} |",
                    cell(&l.label),
                    cell(&l.label_fr),
                    cell(&l.legal_reference),
                    l.lines
                );
            }
            o.push('\n');
        }

        let _ = writeln!(o, "## {}\n", m.t("report.obligations.title"));
        o.push_str(&m.header(&["obligation", "article", "status", "purchases"]));
        let mut cov: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
        for c in &self.obligations {
            *cov.entry((c.obligation.as_str(), c.article.as_str(), c.status.as_str()))
                .or_default() += 1;
        }
        for ((ob, art, st), n) in &cov {
            let _ = writeln!(
                o,
                "| {} | {art} | {} | {n} |",
                m.t(&format!("obligation.{ob}")),
                m.t(&format!("coverage.{st}"))
            );
        }
        o.push('\n');
        // the findings grouped by cause: one line per obligation, with its purchases
        let mut groups: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
        for f in &self.findings {
            groups
                .entry((f.obligation.as_str(), f.article.as_str()))
                .or_default()
                .push(&f.line);
        }
        for ((ob, art), lines) in &groups {
            let mut named: Vec<String> = lines.iter().take(5).map(|l| format!("\"{l}\"")).collect();
            if lines.len() > 5 {
                named.push(m.f("report.more", &[("n", &(lines.len() - 5).to_string())]));
            }
            let _ = writeln!(
                o,
                "{}",
                m.f(
                    "report.finding",
                    &[
                        ("obligation", m.t(&format!("obligation.{ob}"))),
                        ("article", art),
                        ("status", m.t("coverage.no_applicable_lever")),
                        ("purchases", &m.purchases(lines.len())),
                        ("lines", &named.join(", ")),
                    ],
                )
            );
        }
        if !groups.is_empty() {
            o.push('\n');
        }

        if !self.capacity_findings.is_empty() || self.budget_finding.is_some() {
            let _ = writeln!(o, "## {}\n", m.t("report.capacity.title"));
            for f in &self.capacity_findings {
                let whose = match &f.service {
                    Some(s) => format!("{s}, {}", f.year),
                    None => f.year.to_string(),
                };
                let mut shown: Vec<String> = f
                    .lines
                    .iter()
                    .take(10)
                    .map(|l| format!("\"{l}\""))
                    .collect();
                if f.lines.len() > 10 {
                    shown.push(m.f("report.more", &[("n", &(f.lines.len() - 10).to_string())]));
                }
                let _ = writeln!(
                    o,
                    "{}",
                    m.f(
                        "report.capacity.finding",
                        &[
                            ("whose", &whose),
                            ("capacity", &f.capacity_hours),
                            ("needed", &f.needed_hours.to_string()),
                            ("missing", &f.missing_hours.to_string()),
                            ("lines", &shown.join(", ")),
                        ],
                    )
                );
                for r in &f.remedies {
                    let _ = writeln!(o, "  - {r}");
                }
            }
            if let Some(b) = &self.budget_finding {
                let _ = writeln!(
                    o,
                    "{}",
                    m.f(
                        "report.capacity.budget",
                        &[
                            ("budget", &format!("{:.1}", b.budget_days)),
                            ("needed", &format!("{:.1}", b.needed_days)),
                        ],
                    )
                );
                for r in &b.remedies {
                    let _ = writeln!(o, "  - {r}");
                }
            }
            o.push('\n');
        }
        for n in &self.notes {
            let _ = writeln!(o, "{}\n", m.f("report.note", &[("note", &n.message)]));
        }

        let _ = writeln!(o, "## {}\n", m.t("report.hours.title"));
        o.push_str(&m.header(&["year", "planned_hours", "capacity"]));
        for (y, h) in &self.insertion_hours {
            let cap = self
                .capacity_hours
                .get(y)
                .map_or(m.t("report.hours.no_limit"), String::as_str);
            let _ = writeln!(o, "| {y} | {h} | {cap} |");
        }
        o.push('\n');

        let _ = writeln!(o, "## {}\n", m.t("report.unmet.title"));
        if self.unmet.is_empty() {
            let _ = writeln!(o, "{}\n", m.t("report.unmet.none"));
        } else {
            o.push_str(&m.header(&["target", "year", "shortfall", "cause", "remedy"]));
            for u in &self.unmet {
                let cause = serde_json::to_string(&u.cause).unwrap_or_default();
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} | {} |",
                    u.id,
                    u.year,
                    match self.targets.iter().find(|t| t.id == u.id).map(|t| t.basis) {
                        Some(Basis::Value) => euros(u.shortfall),
                        _ => m.purchases(u.shortfall.ceil()),
                    },
                    m.t(&format!("report.cause.{}", cause.trim_matches('"'))),
                    u.remedy
                );
            }
            o.push('\n');
        }

        let _ = writeln!(o, "## {}\n", m.t("report.figures.title"));
        if self.objective_mode == Objective::Lexicographic {
            let bound = |b: Option<f64>, dp: usize| {
                b.map_or_else(|| "—".to_string(), |b| format!("{b:.dp$}"))
            };
            let gap =
                |g: Option<f64>| g.map_or_else(|| "—".to_string(), |g| format!("{:.2}", g * 100.0));
            let _ = writeln!(
                o,
                "{}\n",
                m.f(
                    "report.figures.lexicographic",
                    &[("n", &self.assignments.len().to_string())],
                )
            );
            let _ = writeln!(
                o,
                "{}",
                m.f(
                    "report.figures.shortfall",
                    &[
                        ("value", &format!("{:.2}", self.shortfall.value)),
                        ("bound", &bound(self.shortfall.bound, 2)),
                        ("gap", &gap(self.shortfall.gap)),
                    ],
                )
            );
            let _ = writeln!(
                o,
                "{}",
                m.f(
                    "report.figures.effort",
                    &[
                        ("value", &format!("{:.1}", self.effort.value)),
                        ("bound", &bound(self.effort.bound, 1)),
                        ("gap", &gap(self.effort.gap)),
                    ],
                )
            );
            return o;
        }
        let _ = writeln!(
            o,
            "{}",
            m.f(
                "report.figures.text",
                &[
                    ("n", &self.assignments.len().to_string()),
                    ("effort", &format!("{:.1}", self.total_effort)),
                    ("objective", &format!("{:.3}", self.objective)),
                    ("weight", &self.shortfall_weight.to_string()),
                    ("bound", &format!("{:.3}", self.lower_bound)),
                    ("gap", &format!("{:.2}", self.gap * 100.0)),
                ],
            )
        );
        o
    }
}
