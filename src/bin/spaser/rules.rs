//! `spaser rules`: the thresholds and obligations in force on a date, from the rulebook, each
//! with its article and confidence — what the crate believes, for a buyer to check.

use std::fmt::Write as _;

use chrono::NaiveDate;
use spaser::{BuyerKind, Rulebook, RulesInForce, SpaserBasis, ThresholdEntry};

use crate::{Common, Failure, Format, Lang, output};

/// Arguments of `spaser rules`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Confidence: V verified in the legal text, S from a secondary source, ? an unestablished default to check.\nJSON: RulesInForce {\"date\", \"buyer_kind\", \"rules\"}, where \"rules\" is in the rulebook's own format (see docs/cli.md)."
)]
pub struct Args {
    /// The launch date of a consultation [default: today]
    #[arg(long, value_name = "DATE", value_parser = crate::date_parser)]
    pub date: Option<NaiveDate>,
    /// Only the EU thresholds of this kind of buyer [default: every kind]
    #[arg(long, value_name = "KIND", value_parser = crate::buyer_kind_parser())]
    pub buyer_kind: Option<BuyerKind>,
    #[command(flatten)]
    pub common: Common,
}

/// Runs `spaser rules`.
pub fn run(args: &Args) -> Result<(), Failure> {
    output::check_format(&args.common, "rules", &[Format::Text, Format::Json])?;
    output::text_lang(&args.common, "rules", &[Lang::En]);
    let date = match args.date {
        Some(d) => d,
        None => crate::today()?,
    };
    let now = Rulebook::embedded().in_force(date, args.buyer_kind);
    let text = match args.common.format {
        Format::Json => output::json(&now)?,
        _ => render_text(&now),
    };
    output::emit(&args.common, &text)
}

fn join<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `--buyer-kind` name of a kind.
fn short(kind: BuyerKind) -> &'static str {
    match kind {
        BuyerKind::CentralGovernment => "central",
        BuyerKind::OtherContractingAuthority => "other",
        BuyerKind::Utility => "utility",
        BuyerKind::DefenceSecurity => "defence",
        _ => kind.as_str(),
    }
}

fn thresholds(out: &mut String, title: &str, entries: &[ThresholdEntry]) {
    for e in entries {
        let kinds = if e.buyer_kinds.is_empty() {
            "every buyer".to_string()
        } else {
            let names: Vec<&str> = e.buyer_kinds.iter().map(|k| short(*k)).collect();
            names.join(", ")
        };
        let _ = writeln!(
            out,
            "{:<20} {:<26} {:<28} {:>13} {:<12} {:<4} {}",
            title,
            join(&e.natures),
            kinds,
            e.value.to_string(),
            e.article,
            e.confidence.to_string(),
            e.period
        );
    }
}

fn render_text(now: &RulesInForce) -> String {
    let r = &now.rules;
    let mut out = String::new();
    let kind = now.buyer_kind.map_or_else(
        || "every buyer kind".to_string(),
        |k| format!("buyer kind {}", short(k)),
    );
    let _ = writeln!(
        out,
        "Rules in force on {} for {kind} (rulebook {})",
        now.date, r.version
    );
    let _ = writeln!(
        out,
        "\nProcedure thresholds (euros HT; exemptions apply strictly below, the formal procedure at or above the EU threshold)"
    );
    let _ = writeln!(
        out,
        "{:<20} {:<26} {:<28} {:>13} {:<12} {:<4} period",
        "threshold", "natures", "buyers", "value", "article", "conf"
    );
    thresholds(&mut out, "no competition", &r.no_competition);
    thresholds(&mut out, "innovative purchase", &r.innovative);
    thresholds(&mut out, "innovative lot", &r.innovative_lots);
    thresholds(&mut out, "defence innovative", &r.defence_innovative);
    thresholds(&mut out, "by object", &r.object_exemptions);
    thresholds(
        &mut out,
        "small lot, no comp.",
        &r.small_lots_no_competition,
    );
    thresholds(&mut out, "small lot, adapted", &r.small_lots);
    thresholds(&mut out, "EU", &r.eu);
    thresholds(&mut out, "specific services EU", &r.specific_services);

    let o = &r.obligations;
    let _ = writeln!(
        out,
        "\nContract obligations (each article applies to consultations launched from its date)"
    );
    let _ = writeln!(
        out,
        "{:<36} {:<44} {:<4} status",
        "obligation", "articles", "conf"
    );
    for c in &o.contract {
        let articles: Vec<String> = c
            .articles
            .iter()
            .map(|a| format!("{} from {}", a.article, a.from))
            .collect();
        let status = match c.binding_from() {
            Some(d) if d > now.date => format!("binding from {d}"),
            _ => "binding".to_string(),
        };
        let concession = c
            .concession_article
            .as_ref()
            .map(|a| format!(" (concessions: {a})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<36} {:<44} {:<4} {status}{concession}",
            c.id.as_str(),
            articles.join(", "),
            c.confidence.to_string()
        );
    }
    if o.contract.is_empty() {
        let _ = writeln!(out, "(none)");
    }

    let _ = writeln!(out, "\nSPASER obligation");
    match o.spaser.first() {
        Some(s) => {
            let _ = writeln!(
                out,
                "yearly {} strictly above {} € HT; buyers: {}{} — {} [{}] {}",
                match s.basis {
                    SpaserBasis::Expenditure => "expenditure under public contracts",
                    SpaserBasis::ContractsConcluded => "value of contracts concluded",
                    _ => "amount",
                },
                s.threshold,
                join(&s.scope),
                if s.disputed.is_empty() {
                    String::new()
                } else {
                    format!(" (disputed: {})", join(&s.disputed))
                },
                s.article,
                s.confidence,
                s.period
            );
        }
        None => {
            let _ = writeln!(out, "(no rule on this date)");
        }
    }

    let _ = writeln!(out, "\nReserved contracts");
    for rr in &o.reserved {
        let cpv = if rr.cpv_prefixes.is_empty() {
            "any CPV".to_string()
        } else {
            format!("CPV {}", rr.cpv_prefixes.join(", "))
        };
        let duration = rr
            .max_duration_months
            .map(|m| format!(", at most {m} months"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<12} {cpv}{duration} [{}]",
            rr.article.to_string(),
            rr.confidence
        );
    }

    if let Some(t) = &o.agec {
        let _ = writeln!(
            out,
            "\nAGEC art. 58 shares of {} ({}, {}; empty: rate not established)",
            now.date.format("%Y"),
            t.article,
            t.period
        );
        let _ = writeln!(
            out,
            "{:<60} {:>9} {:>14} {:>14}",
            "category", "milestone", "reuse", "recycled"
        );
        for rate in &t.rates {
            let cell = |c: &spaser::RateCell| {
                format!(
                    "{} [{}]",
                    c.rate.map_or_else(String::new, |s| s.to_string()),
                    c.confidence
                )
            };
            let category: String = rate.category.to_string().chars().take(60).collect();
            let _ = writeln!(
                out,
                "{:<60} {:>9} {:>14} {:>14}",
                category,
                rate.milestone,
                cell(&rate.reuse),
                cell(&rate.recycled)
            );
        }
    }
    if let Some(t) = &o.agec_2021 {
        let _ = writeln!(
            out,
            "\nAGEC 2021 table ({}, {}): {} lines",
            t.article,
            t.period,
            t.lines.len()
        );
    }

    let _ = writeln!(out, "\nEGalim shares of food purchases (by value)");
    for e in &o.egalim {
        let _ = writeln!(
            out,
            "{:<12} {:>6} {:<20} [{}] {}",
            format!("{:?}", e.id).to_lowercase(),
            e.rate.to_string(),
            e.article,
            e.confidence,
            e.period
        );
    }
    if o.egalim.is_empty() {
        let _ = writeln!(out, "(none)");
    }
    out
}
