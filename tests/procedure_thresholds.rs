//! Procedure thresholds at their boundaries, table-driven from `tests/data/procedure_thresholds.json`.
//!
//! Every scenario names the article it pins: R2122-8 (no-competition exemption, strictly below),
//! R2122-9-1 (innovative purchases, strictly below), L2124-1 (formal procedure at or above the EU
//! threshold of the buyer's kind; adapted procedure below, R2123-1 1°), R2123-1 3° (social and
//! other specific services: adapted whatever the value, an EU-level notice from their publication
//! threshold), R2123-1 2° and R2122-8 (small lots within 20 % of the consultation), R2122-9
//! (non-school books), R2322-16 (innovative defence or security contracts), R2122-1 to R2122-11
//! (cases recorded on a line), L2113-4 (central purchasing bodies), and the EU thresholds not
//! yet published (carried forward as estimates, FACTS §14). Each threshold period of
//! FACTS §6 is pinned with a value just below, equal and just above the threshold on the first and
//! last day of the period, and each change with the day before and the day of it.

use chrono::NaiveDate;
use serde::Deserialize;
use spaser::{
    Amount, Buyer, BuyerKind, Confidence, CpvCode, ErrorKind, EstimateOptions, Intermediary, Lot,
    Nature, NoCompetitionCase, PlanLine, Procedure, Programme, Rulebook, WarningKind,
};

#[derive(Debug, Deserialize)]
struct Scenario {
    name: String,
    article: String,
    buyer_kind: String,
    nature: Nature,
    date: NaiveDate,
    value: Amount,
    #[serde(default)]
    innovative: bool,
    /// Social and other specific services (R2123-1 3°).
    #[serde(default)]
    specific_services: bool,
    /// A warning the line must carry.
    #[serde(default)]
    warning: Option<WarningKind>,
    /// No estimate: a threshold not published gives the formal procedure.
    #[serde(default)]
    strict: bool,
    /// A missing threshold is an error.
    #[serde(default)]
    require_rules: bool,
    /// A defence or security contract by its object (L1113-1).
    #[serde(default)]
    defence_security: bool,
    #[serde(default)]
    cpv: Option<CpvCode>,
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    no_competition: Option<NoCompetitionCase>,
    #[serde(default)]
    intermediary: Option<Intermediary>,
    #[serde(default)]
    lot: Option<Lot>,
    /// Other lines of the programme (lots of the same consultation…), after the scenario's own
    /// line `L1`.
    #[serde(default)]
    others: Vec<PlanLine>,
    /// A warning the line must not carry.
    #[serde(default)]
    no_warning: Option<WarningKind>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    procedure: Option<Procedure>,
    #[serde(default)]
    threshold: Option<Amount>,
    #[serde(default)]
    legal_basis: Option<String>,
    #[serde(default)]
    confidence: Option<Confidence>,
}

#[derive(Debug, Deserialize)]
struct File {
    scenarios: Vec<Scenario>,
}

#[test]
fn procedure_threshold_scenarios() {
    let file: File = serde_json::from_str(include_str!("data/procedure_thresholds.json"))
        .expect("scenario file");
    assert!(file.scenarios.len() > 300);
    let rules = Rulebook::embedded();
    let mut failures = Vec::new();
    for s in &file.scenarios {
        assert!(!s.article.is_empty(), "{}: cites no article", s.name);
        let kind: BuyerKind = s.buyer_kind.parse().expect("buyer kind");
        let mut line = PlanLine::new("L1", &s.name, s.nature, s.value, s.date);
        line.innovative = s.innovative;
        line.specific_services = s.specific_services;
        line.defence_security = s.defence_security;
        line.cpv = s.cpv;
        line.family = s.family.clone();
        line.no_competition = s.no_competition;
        line.intermediary = s.intermediary.clone();
        line.lot = s.lot.clone();
        let mut lines = vec![line];
        lines.extend(s.others.iter().cloned());
        let programme = Programme::new(Buyer::new("buyer", kind), lines).expect("programme");
        let options = EstimateOptions::default()
            .strict(s.strict)
            .require_rules(s.require_rules);
        let result = programme.estimate_with(rules, &options);
        match (&s.error, result) {
            (Some(want), Err(e)) => {
                let got = match e.kind() {
                    ErrorKind::NoRule => "no_rule",
                    _ => "other",
                };
                if got != want {
                    failures.push(format!(
                        "{} [{}]: error {e} ({got}), want {want}",
                        s.name, s.article
                    ));
                }
            }
            (Some(want), Ok(est)) => failures.push(format!(
                "{} [{}]: got {:?}, want error {want}",
                s.name, s.article, est.lines[0]
            )),
            (None, Err(e)) => {
                failures.push(format!("{} [{}]: unexpected error {e}", s.name, s.article))
            }
            (None, Ok(est)) => {
                let l = &est.lines[0];
                let got = (
                    Some(l.procedure),
                    l.threshold,
                    Some(l.legal_basis().to_string()),
                );
                let want = (s.procedure, s.threshold, s.legal_basis.clone());
                if got != want {
                    failures.push(format!(
                        "{} [{}]: got {got:?}, want {want:?}",
                        s.name, s.article
                    ));
                }
                if let Some(c) = s.confidence {
                    if c != l.confidence {
                        failures.push(format!(
                            "{} [{}]: confidence {:?}, want {c:?}",
                            s.name, s.article, l.confidence
                        ));
                    }
                }
                if let Some(w) = s.no_warning
                    && l.warnings().iter().any(|x| x.kind == w)
                {
                    failures.push(format!("{}: unexpected {w:?} warning", s.name));
                }
                if let Some(w) = s.warning {
                    if !l.warnings().iter().any(|x| x.kind == w) {
                        failures.push(format!(
                            "{}: no {w:?} warning in {:?}",
                            s.name,
                            l.warnings()
                        ));
                    }
                } else if s.specific_services && s.others.is_empty() && !l.warnings().is_empty() {
                    failures.push(format!(
                        "{}: unexpected warnings {:?}",
                        s.name,
                        l.warnings()
                    ));
                }
                let decided_by_line = s.no_competition.is_some() || s.intermediary.is_some();
                if s.threshold.is_none()
                    && l.warnings().is_empty()
                    && !s.specific_services
                    && !decided_by_line
                {
                    failures.push(format!("{}: no warning for an unknown threshold", s.name));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
