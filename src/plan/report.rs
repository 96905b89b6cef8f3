//! The SPASER report in Markdown.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::indicators::{Basis, GroupBy, STANDARD_ENVIRONMENTAL, STANDARD_SOCIAL};
use crate::plan::planner::Plan;
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

/// A snake_case code in words: `no_applicable_lever` → `no applicable lever`.
fn words(code: &str) -> String {
    code.trim_matches('"').replace('_', " ")
}

/// The buyer kind in words, with the French term.
fn buyer_kind(kind: crate::values::buyer_kind::BuyerKind) -> &'static str {
    use crate::values::buyer_kind::BuyerKind;
    match kind {
        BuyerKind::CentralGovernment => "central government (État)",
        BuyerKind::OtherContractingAuthority => {
            "contracting authority other than the State (pouvoir adjudicateur)"
        }
        BuyerKind::Utility => "contracting entity (entité adjudicatrice)",
        BuyerKind::DefenceSecurity => "buyer for defence or security contracts",
    }
}

/// Whether a SPASER is required, in words, from the SPASER finding's status.
fn spaser_status(status: &str) -> &'static str {
    match status {
        "missing" => "required",
        "met" => "required (adopted)",
        "not_applicable" => "not required",
        "exempted" => "exempted",
        _ => "unknown",
    }
}

impl Plan {
    /// The SPASER document in Markdown: buyer and SPASER obligation, targets year by year (goal
    /// vs projected, by count and by value), levers per family and per prescribing service,
    /// the levers used (label, legal basis, purchases), obligations coverage, insertion hours vs capacity, unmet targets and what would reach
    /// them, and the optimisation figures. Deterministic.
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
        let mut o = String::new();
        let _ = writeln!(o, "# SPASER — {}\n", self.buyer);
        let _ = writeln!(o, "Buyer: {}.\n", buyer_kind(self.buyer_kind));
        o.push_str("## Is a SPASER required?\n\n");
        match &self.spaser {
            Some(f) => {
                let status = serde_json::to_string(&f.status).unwrap_or_default();
                let _ = writeln!(
                    o,
                    "{} ({}): **{}** — {}.\n",
                    f.article,
                    serde_json::to_string(&f.confidence)
                        .unwrap_or_default()
                        .trim_matches('"'),
                    spaser_status(status.trim_matches('"')),
                    f.reason
                );
            }
            None => o.push_str("Unknown: no SPASER rule covers the programme's years.\n\n"),
        }

        o.push_str("## Targets\n\n");
        o.push_str("| target | year | basis | goal | projected | by count | by value | met | shortfall |\n");
        o.push_str("|---|---|---|---|---|---|---|---|---|\n");
        for t in &self.targets {
            // an unmet target's own share is rounded down (it must not print as its goal)
            let own = |x| if t.met { pct(x) } else { pct_short(x) };
            let (count, value) = match t.basis {
                Basis::Count => (own(t.projected), pct(t.projected_other_basis)),
                Basis::Value => (pct(t.projected_other_basis), own(t.projected)),
            };
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                t.id,
                t.year,
                t.basis,
                pct(Some(t.goal)),
                own(t.projected),
                count,
                value,
                if t.met { "yes" } else { "**no**" },
                match t.basis {
                    _ if t.shortfall.is_zero() => "—".to_string(),
                    Basis::Count => format!("{} purchase(s)", t.shortfall.ceil()),
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
            match (label.is_empty(), src.is_empty()) {
                (true, true) => {}
                (false, true) => {
                    let _ = writeln!(o, "- `{id}`: {label}");
                }
                (true, false) => {
                    let _ = writeln!(o, "- `{id}`: source {src}");
                }
                (false, false) => {
                    let _ = writeln!(o, "- `{id}`: {label}; source {src}");
                }
            }
        }
        o.push('\n');

        o.push_str("## Projected standard indicators\n\n| year | social (count) | social (value) | environmental (count) | environmental (value) |\n|---|---|---|---|---|\n");
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

        for (title, by, none) in [
            ("family", GroupBy::Family, "(no family or operation)"),
            ("prescribing service", GroupBy::Service, "(no service)"),
        ] {
            let _ = writeln!(o, "## Levers per {title}\n");
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
            let _ = writeln!(o, "| {title} | levers |\n|---|---|");
            for (g, ls) in &groups {
                let list: Vec<String> = ls.iter().map(|(l, n)| format!("{l} × {n}")).collect();
                let _ = writeln!(o, "| {g} | {} |", list.join(", "));
            }
            o.push('\n');
        }

        if !self.levers.is_empty() {
            o.push_str(
                "## Levers used\n\n| lever | what | legal basis | purchases |\n|---|---|---|---|\n",
            );
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

        o.push_str("## Legal obligations\n\n| obligation | article | status | purchases |\n|---|---|---|---|\n");
        let mut cov: BTreeMap<(String, &str, &str), usize> = BTreeMap::new();
        for c in &self.obligations {
            *cov.entry((
                c.obligation.to_string(),
                c.article.as_str(),
                c.status.as_str(),
            ))
            .or_default() += 1;
        }
        for ((ob, art, st), n) in &cov {
            let _ = writeln!(o, "| {} | {art} | {} | {n} |", words(ob), words(st));
        }
        o.push('\n');
        for f in &self.findings {
            let _ = writeln!(o, "- line {}: {}", f.line, f.message);
        }
        if !self.findings.is_empty() {
            o.push('\n');
        }

        o.push_str("## Insertion hours\n\n| year | planned hours | capacity |\n|---|---|---|\n");
        for (y, h) in &self.insertion_hours {
            let cap = self
                .capacity_hours
                .get(y)
                .map_or("no limit", String::as_str);
            let _ = writeln!(o, "| {y} | {h} | {cap} |");
        }
        o.push('\n');

        o.push_str("## Unmet targets\n\n");
        if self.unmet.is_empty() {
            o.push_str("Every target is reached in every year.\n\n");
        } else {
            o.push_str("| target | year | shortfall | cause | what would reach it |\n|---|---|---|---|---|\n");
            for u in &self.unmet {
                let cause = serde_json::to_string(&u.cause).unwrap_or_default();
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} | {} |",
                    u.id,
                    u.year,
                    match self.targets.iter().find(|t| t.id == u.id).map(|t| t.basis) {
                        Some(Basis::Value) => euros(u.shortfall),
                        _ => format!("{} purchase(s)", u.shortfall.ceil()),
                    },
                    words(&cause),
                    u.remedy
                );
            }
            o.push('\n');
        }

        o.push_str("## Plan figures\n\n");
        let _ = writeln!(
            o,
            "{} purchase(s) carry levers; total effort {:.1} person-days; objective {:.3} (effort + {} person-days per point of shortfall); proven lower bound {:.3}; gap {:.2} %.",
            self.assignments.len(),
            self.total_effort,
            self.objective,
            self.shortfall_weight,
            self.lower_bound,
            self.gap * 100.0
        );
        o
    }
}
