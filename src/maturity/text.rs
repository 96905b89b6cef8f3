//! The maturity texts a person reads in French or English: [`Text::get`] and what an automatic
//! evaluation compared ([`Evaluation::text`]). Imports the rendering layer's number formats.

use super::grid::Text;
use super::rule::{DataGap, Evaluation, Figure, Outcome, Source};
use crate::indicators::{Basis, GroupBy};
use crate::render::format::{self, Rounding};
use crate::values::lang::Lang;
use crate::values::share::Share;

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
}

/// A share in percent, to a tenth of a point where needed (`30,6 %`, `15 %`).
fn pct(s: Share, lang: Lang) -> String {
    format::percent(s, Rounding::Nearest, lang)
}

/// The French name of a standard indicator (others keep their id).
fn indicator_fr(id: &str) -> &str {
    match id {
        "social" => "social",
        "environmental" => "environnemental",
        "reserved" => "réservé",
        "innovative" => "innovant",
        other => other,
    }
}

fn source_fr(s: Source) -> &'static str {
    match s {
        Source::Plan => "plan",
        Source::Actuals => "réalisé",
    }
}

/// What the figure read, in French (the English is [`Figure`]'s `Display`).
fn figure_fr(f: &Figure) -> String {
    let mut out = String::new();
    if let Some(i) = &f.indicator {
        out.push_str(&format!("indicateur {}", indicator_fr(i)));
        match f.basis {
            Some(Basis::Count) => out.push_str(" en nombre"),
            Some(Basis::Value) => out.push_str(" en valeur"),
            None => {}
        }
        if let Some(y) = f.year {
            out.push_str(&format!(" en {y}"));
        }
        if f.group_by != GroupBy::Total {
            out.push_str(&format!(" pour {:?} «\u{a0}{}\u{a0}»", f.group_by, f.group));
        }
        if let Some(s) = f.source {
            out.push_str(&format!(" ({})", source_fr(s)));
        }
    } else if let Some(x) = &f.fact {
        out.push_str(&format!("donnée {x}"));
        if let Some(n) = &f.note {
            out.push_str(&format!(" ({n})"));
        }
    }
    if let (Some(m), Some(b)) = (&f.measure, f.basis) {
        match b {
            Basis::Count => out.push_str(&format!(
                "\u{a0}: {}/{}",
                format::integer(m.count, Lang::Fr),
                format::integer(m.purchases, Lang::Fr)
            )),
            Basis::Value => out.push_str(&format!(
                "\u{a0}: {} sur {}",
                format::euros(m.covered_value, Lang::Fr),
                format::euros(m.value, Lang::Fr)
            )),
        }
    }
    match f.value {
        Some(v) => out.push_str(&format!(" = {}", pct(v, Lang::Fr))),
        None => out.push_str(" = n.\u{a0}d."),
    }
    match &f.linear {
        Some(l) => out.push_str(&format!(
            ", noté linéairement de {} (aucun point) à {} (tous les points)",
            pct(l.from, Lang::Fr),
            pct(l.to, Lang::Fr)
        )),
        None => out.push_str(&format!(
            ", requis {} {}",
            f.op.symbol(),
            pct(f.threshold, Lang::Fr)
        )),
    }
    out
}

impl Evaluation {
    /// What was compared and the outcome, or why the data given cannot decide, in `lang`.
    /// The English is [`Evaluation::explanation`]; the French is built from the same fields
    /// (a computed fact's note stays as written).
    ///
    /// ```
    /// use spaser::maturity::{Evidence, FACT_PROGRAMME_COVERAGE, Rule};
    /// use spaser::Lang;
    /// let rule: Rule = serde_json::from_str(
    ///     r#"{"fact": "programme_coverage", "op": "ge", "threshold": "0.8"}"#).unwrap();
    /// let evidence = Evidence::new().with_fact(FACT_PROGRAMME_COVERAGE, "0.85".parse()?);
    /// let e = rule.evaluate(&evidence, 2026);
    /// assert_eq!(e.text(Lang::En), "fact programme_coverage = 0.85, required ≥ 0.8: met");
    /// assert_eq!(
    ///     e.text(Lang::Fr),
    ///     "donnée programme_coverage = 85\u{202f}%, requis ≥ 80\u{202f}%\u{a0}: atteint"
    /// );
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn text(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.explanation.clone();
        }
        let f = &self.figure;
        match self.outcome {
            Outcome::Met => format!("{}\u{a0}: atteint", figure_fr(f)),
            Outcome::NotMet => format!("{}\u{a0}: non atteint", figure_fr(f)),
            Outcome::Partly => format!(
                "{}\u{a0}: atteint en partie ({} des points)",
                figure_fr(f),
                self.score.map_or_else(String::new, |s| pct(s, lang))
            ),
            Outcome::NoData => no_data_fr(self),
        }
    }
}

/// Why the data cannot decide, in French.
fn no_data_fr(e: &Evaluation) -> String {
    let f = &e.figure;
    if let Some(x) = &f.fact {
        return match &f.note {
            Some(n) => format!("donnée «\u{a0}{x}\u{a0}» non fournie\u{a0}: {n}"),
            None => format!("donnée «\u{a0}{x}\u{a0}» non fournie"),
        };
    }
    let Some(ind) = &f.indicator else {
        return "la règle ne nomme ni indicateur ni donnée".to_string();
    };
    let ind = indicator_fr(ind);
    let year = f.year.map(|y| format!(" en {y}")).unwrap_or_default();
    if f.measure.is_some() {
        let basis = match f.basis {
            Some(Basis::Value) => ", en valeur",
            Some(Basis::Count) => ", en nombre",
            None => "",
        };
        let src = f.source.map(source_fr).unwrap_or("");
        return format!(
            "l'indicateur «\u{a0}{ind}\u{a0}» n'a aucun achat dans son périmètre{year} ({src}{basis})"
        );
    }
    let head = format!("aucun chiffre pour l'indicateur «\u{a0}{ind}\u{a0}»{year}");
    match &e.gap {
        Some(DataGap::Buyer {
            buyer,
            other_buyers,
        }) => {
            if *other_buyers == 0 {
                format!(
                    "{head}\u{a0}: les données fournies ne contiennent aucun contrat de l'acheteur {buyer}"
                )
            } else {
                format!(
                    "{head}\u{a0}: les données fournies ne contiennent aucun contrat de l'acheteur {buyer} ({} contrat{} d'autres acheteurs ignoré{})",
                    format::integer(*other_buyers, Lang::Fr),
                    if *other_buyers > 1 { "s" } else { "" },
                    if *other_buyers > 1 { "s" } else { "" }
                )
            }
        }
        Some(DataGap::Year { covered, .. }) => {
            let years: Vec<String> = covered.iter().map(i32::to_string).collect();
            let buyer = "l'acheteur";
            format!(
                "{head}\u{a0}: les données fournies couvrent {buyer} en {}, pas{year}",
                format::join_words(&years, Lang::Fr)
            )
        }
        None => head,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::maturity::{Evidence, FACT_PROGRAMME_COVERAGE, Rule};

    fn evaluate(rule: &str, fact: Option<&str>) -> Evaluation {
        let rule: Rule = serde_json::from_str(rule).expect("a rule");
        let mut evidence = Evidence::new();
        if let Some(v) = fact {
            evidence = evidence.with_fact(FACT_PROGRAMME_COVERAGE, v.parse().expect("a share"));
        }
        rule.evaluate(&evidence, 2026)
    }

    #[test]
    fn a_linear_rule_partly_met_and_a_missing_fact_read_in_french() {
        let linear = r#"{"fact": "programme_coverage", "linear": {"from": "0.3", "to": "0.8"}}"#;
        let e = evaluate(linear, Some("0.55"));
        assert_eq!(
            e.text(Lang::Fr),
            "donnée programme_coverage = 55\u{202f}%, noté linéairement de 30\u{202f}% (aucun point) \
             à 80\u{202f}% (tous les points)\u{a0}: atteint en partie (50\u{202f}% des points)"
        );
        assert_eq!(e.text(Lang::En), e.explanation);
        let missing = evaluate(
            r#"{"fact": "programme_coverage", "op": "ge", "threshold": "0.8"}"#,
            None,
        );
        assert_eq!(
            missing.text(Lang::Fr),
            "donnée «\u{a0}programme_coverage\u{a0}» non fournie"
        );
        let none: Rule = serde_json::from_str(
            r#"{"indicator": "environmental", "op": "ge", "threshold": "0.3"}"#,
        )
        .expect("a rule");
        assert_eq!(
            none.evaluate(&Evidence::new(), 2026).text(Lang::Fr),
            "aucun chiffre pour l'indicateur «\u{a0}environnemental\u{a0}» en 2026"
        );
    }
}
