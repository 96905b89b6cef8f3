//! The programme as a person reads it (`spaser programme`), in French or in English: each
//! line's value, group, procedure and legal basis, its calendar, and the estimation's
//! warnings in sentences.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::law::context::NoCompetitionCase;
use crate::law::procedure::Procedure;
use crate::programme::calendar::Calendar;
use crate::programme::estimate::{EstimateWarning, Estimation, WarningKind, Which};
use crate::programme::model::{PlanLine, Programme};
use crate::render::format::{self, NBSP};
use crate::values::buyer_kind::BuyerKind;
use crate::values::lang::Lang;
use crate::values::money::Amount;

/// How many lines of a group a French splitting-risk sentence names (as the English one).
const NAMED: usize = 10;

/// Euros with cents: `64 500,00 €` / `64500.00` (the English messages' form).
fn euros(a: Amount, lang: Lang) -> String {
    match lang {
        Lang::Fr => format::euros(a.as_decimal(), lang),
        Lang::En => a.to_string(),
    }
}

/// A group key for display: its nature prefix in French (`fournitures:FOU-PAP:2026`).
fn group_key(key: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return key.to_string();
    }
    for (en, fr) in [
        ("supplies:", "fournitures:"),
        ("services:", "services:"),
        ("works:", "travaux:"),
        ("line:", "ligne:"),
    ] {
        if let Some(rest) = key.strip_prefix(en) {
            return format!("{fr}{rest}");
        }
    }
    key.to_string()
}

fn case_fr(case: NoCompetitionCase) -> &'static str {
    match case {
        NoCompetitionCase::ImperativeUrgency => "urgence impérieuse",
        NoCompetitionCase::UnsuccessfulProcedure => "procédure infructueuse",
        NoCompetitionCase::SingleOperator => "un seul opérateur possible",
        NoCompetitionCase::AdditionalDeliveries => "livraisons complémentaires",
        NoCompetitionCase::CommodityMarket => "matières premières cotées",
        NoCompetitionCase::AdvantageousTerms => "conditions particulièrement avantageuses",
        NoCompetitionCase::DesignContest => "lauréat d'un concours",
        NoCompetitionCase::RepeatedServices => "prestations similaires",
        NoCompetitionCase::Research => "recherche, expérimentation, étude ou développement",
        NoCompetitionCase::UtilityResearch => "recherche d'une entité adjudicatrice",
        NoCompetitionCase::UtilityOpportunity => "occasion avantageuse d'une entité adjudicatrice",
    }
}

/// The threshold's name after « seuil » (`de dispense de procédure`, `européen`).
fn threshold_fr(which: Option<Which>) -> &'static str {
    match which {
        Some(Which::NoCompetition) => " de dispense de procédure",
        Some(Which::Innovative) => " d'achat innovant",
        Some(Which::Eu) => " européen",
        Some(Which::SpecificPublication) => {
            " de publication européenne des services sociaux et autres services spécifiques"
        }
        None => "",
    }
}

impl EstimateWarning {
    /// The warning as a sentence in `lang`: in English, [`message`](Self::message); in
    /// French, written from the warning's figures and those of `line` (the programme line it
    /// is on) and of its estimate in `estimation`.
    ///
    /// ```
    /// use spaser::{Lang, Programme, Rulebook};
    /// let programme = Programme::sample();
    /// let estimation = programme.estimate(Rulebook::embedded())?;
    /// let line = &programme.lines[0];
    /// let w = &estimation.line(&line.id).unwrap().warnings()[0];
    /// assert!(w.text(Lang::Fr, line, &estimation).starts_with("risque de saucissonnage\u{a0}: la ligne «\u{a0}F26-01\u{a0}» seule"));
    /// assert_eq!(w.text(Lang::En, line, &estimation), w.message());
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn text(&self, lang: Lang, line: &PlanLine, estimation: &Estimation) -> String {
        if lang == Lang::En {
            return self.message().to_string();
        }
        let estimate = estimation.line(&line.id);
        let group_value = estimate.map(|e| e.group_value);
        let threshold = match (self.threshold, self.article()) {
            (Some(t), Some(a)) => format!("{} ({a})", euros(t, lang)),
            (Some(t), None) => euros(t, lang),
            (None, Some(a)) => format!("({a})"),
            (None, None) => String::new(),
        };
        let date = format::short_date(line.launch_date, lang);
        let mut out = String::new();
        match self.kind {
            WarningKind::SplittingRisk => {
                let _ = write!(
                    out,
                    "risque de saucissonnage{NBSP}: la ligne «{NBSP}{}{NBSP}» seule est sous le seuil{} de {threshold}",
                    line.id,
                    threshold_fr(self.which)
                );
                if let Some(g) = estimate.and_then(|e| estimation.group(e.group_key())) {
                    let mut ids: Vec<String> =
                        g.line_ids().take(NAMED).map(str::to_string).collect();
                    let more = g.line_ids().len().saturating_sub(NAMED);
                    if more > 0 {
                        ids.push(format!("{more} autres"));
                    }
                    let _ = write!(
                        out,
                        " que son groupe «{NBSP}{}{NBSP}» atteint ({})\u{202f}; lignes du groupe{NBSP}: {}",
                        group_key(g.key(), lang),
                        euros(g.value, lang),
                        format::join_words(&ids, lang)
                    );
                }
                out.push_str(" (R2121-1)");
            }
            WarningKind::ThresholdEstimated => {
                let _ = write!(
                    out,
                    "seuil estimé{NBSP}: le seuil européen applicable au {date} n'est pas encore publié\u{202f}; la dernière valeur connue, {threshold}, est reprise à titre d'estimation (?), non comme une règle\u{202f}; les options strictes retiennent la procédure formalisée"
                );
            }
            WarningKind::EuPublication => {
                let _ = write!(
                    out,
                    "services sociaux et autres services spécifiques{NBSP}: la valeur du groupe"
                );
                if let Some(v) = group_value {
                    let _ = write!(out, ", {},", euros(v, lang));
                }
                let _ = write!(
                    out,
                    " atteint le seuil de publication européenne de {threshold}\u{202f}; la procédure adaptée reste ouverte, avec un avis publié au niveau européen"
                );
            }
            WarningKind::SmallLotCap => {
                let _ = write!(
                    out,
                    "lot de {}{NBSP}: sous le seuil des petits lots de {threshold}, mais les petits lots de la consultation dépasseraient le plafond rapporté à sa valeur totale",
                    euros(line.amount, lang)
                );
                if let Some(v) = group_value {
                    let _ = write!(out, " ({})", euros(v, lang));
                }
                out.push_str("\u{202f}; il suit la procédure de la consultation");
            }
            WarningKind::CaseDoesNotFit => {
                let case = line.no_competition.map_or_else(String::new, |c| {
                    format!("«{NBSP}{}{NBSP}» ({}) ", case_fr(c), c.article())
                });
                let _ = write!(
                    out,
                    "le cas de dispense {case}ne convient pas à un achat de {} de cet acheteur\u{202f}; les seuils décident",
                    line.nature.label_fr()
                );
            }
            WarningKind::ThresholdUnknown => {
                let consequence = match self.which {
                    Some(Which::Eu) => {
                        "la procédure formalisée est retenue, régulière quelle que soit la valeur"
                    }
                    Some(Which::NoCompetition) => "la dispense de procédure n'est pas accordée",
                    Some(Which::Innovative) => "la dispense pour achat innovant n'est pas accordée",
                    Some(Which::SpecificPublication) => {
                        "la procédure adaptée reste ouverte (R2123-1 3°)"
                    }
                    None => "",
                };
                let _ = write!(
                    out,
                    "seuil inconnu{NBSP}: le référentiel n'a pas de seuil{} au {date}",
                    threshold_fr(self.which)
                );
                if !consequence.is_empty() {
                    let _ = write!(out, "\u{202f}; {consequence}");
                }
                out.push_str("\u{202f}; vérifier le référentiel");
            }
        }
        out
    }
}

/// A buyer's kind, in the singular.
fn kind_fr(kind: BuyerKind) -> &'static str {
    match kind {
        BuyerKind::CentralGovernment => "autorité publique centrale",
        BuyerKind::OtherContractingAuthority => "autre pouvoir adjudicateur",
        BuyerKind::Utility => "entité adjudicatrice",
        BuyerKind::DefenceSecurity => "défense ou sécurité",
    }
}

/// A procedure in a table column: short words.
fn procedure_short(p: Procedure, lang: Lang) -> &'static str {
    match p {
        Procedure::NoCompetition => lang.pick("sans concurrence", "no_competition"),
        Procedure::Adapted => lang.pick("adaptée", "adapted"),
        Procedure::Formal => lang.pick("formalisée", "formal"),
        Procedure::Intermediary => lang.pick("centrale d'achat", "intermediary"),
    }
}

fn lines_word(n: usize, lang: Lang) -> &'static str {
    match lang {
        Lang::Fr if n <= 1 => "ligne",
        Lang::Fr => "lignes",
        Lang::En => "lines",
    }
}

impl Programme {
    /// The programme as a table for a person, in `lang`: each line's amount, group and group
    /// value, procedure and legal basis, the dates by which to launch it and to start
    /// sourcing (flagged when late), the number of lines of each procedure and the
    /// estimation's warnings (splitting risks, estimated or unknown thresholds).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use spaser::{Calendar, Lang, LeadTimes, Programme, Rulebook};
    /// let programme = Programme::sample();
    /// let estimation = programme.estimate(Rulebook::embedded())?;
    /// let day = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    /// let calendar = Calendar::new(programme, &estimation, &LeadTimes::default(), day)?;
    /// let fr = programme.to_text(&estimation, &calendar, Lang::Fr);
    /// assert!(fr.starts_with("Programme de Ville de Valmont-sur-Loire"));
    /// assert!(fr.contains("date de référence 04/12/2026"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn to_text(&self, est: &Estimation, cal: &Calendar, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        let mut out = String::new();
        let _ = if fr {
            writeln!(
                out,
                "Programme de {} ({}), {} {}, {} groupes — date de référence {}",
                self.buyer.name,
                kind_fr(self.buyer.kind),
                self.lines.len(),
                lines_word(self.lines.len(), lang),
                est.groups.len(),
                format::short_date(cal.reference, lang)
            )
        } else {
            writeln!(
                out,
                "Programme of {} ({}), {} lines, {} groups — reference date {}",
                self.buyer.name,
                self.buyer.kind,
                self.lines.len(),
                est.groups.len(),
                cal.reference
            )
        };
        out.push('\n');
        let header = if fr {
            [
                "id",
                "libellé",
                "montant HT",
                "groupe",
                "valeur du groupe",
                "procédure",
                "fondement",
                "lancer avant",
                "sourcer avant",
            ]
        } else {
            [
                "id",
                "label",
                "amount HT",
                "group",
                "group value",
                "procedure",
                "basis",
                "launch by",
                "sourcing by",
            ]
        };
        let (wv, wg, wp, wd) = if fr {
            (16, 26, 16, 13)
        } else {
            (13, 24, 14, 11)
        };
        let _ = writeln!(
            out,
            "{:<8} {:<44} {:>13} {:<wg$} {:>wv$} {:<wp$} {:<10} {:>wd$} {:>wd$}",
            header[0],
            header[1],
            header[2],
            header[3],
            header[4],
            header[5],
            header[6],
            header[7],
            header[8],
        );
        let amount = |a: Amount| match lang {
            Lang::Fr => format::decimal(a.as_decimal(), 2, lang),
            Lang::En => a.to_string(),
        };
        for ((line, e), c) in self.lines.iter().zip(&est.lines).zip(&cal.entries) {
            let label: String = line.label.chars().take(44).collect();
            let group: String = group_key(e.group_key(), lang).chars().take(wg).collect();
            let date = |d: Option<NaiveDate>| {
                d.map_or_else(|| "-".to_string(), |d| format::short_date(d, lang))
            };
            let flag = if c.late {
                lang.pick("  EN RETARD", "  LATE")
            } else if c.planned_too_late {
                lang.pick(
                    "  lancement prévu après l'échéance",
                    "  planned launch after deadline",
                )
            } else if c.sourcing_late {
                lang.pick("  sourcing en retard", "  sourcing late")
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "{:<8} {:<44} {:>13} {:<wg$} {:>wv$} {:<wp$} {:<10} {:>wd$} {:>wd$}{flag}",
                line.id,
                label,
                amount(line.amount),
                group,
                amount(e.group_value),
                procedure_short(e.procedure, lang),
                e.legal_basis(),
                date(c.launch_by),
                date(c.sourcing_by),
            );
        }
        out.push('\n');
        let width = if fr { 52 } else { 16 };
        for p in Procedure::ALL {
            let n = est.lines.iter().filter(|l| l.procedure == p).count();
            let name = if fr { p.label_fr() } else { p.as_str() };
            let _ = writeln!(out, "{name:<width$} {n} {}", lines_word(n, lang));
        }
        let warnings: Vec<String> = self
            .lines
            .iter()
            .zip(&est.lines)
            .flat_map(|(line, e)| e.warnings().iter().map(move |w| (line, w)))
            .map(|(line, w)| w.text(lang, line, est))
            .collect();
        if !warnings.is_empty() {
            out.push('\n');
            let _ = if fr {
                writeln!(out, "Avertissements ({}){NBSP}:", warnings.len())
            } else {
                writeln!(out, "Warnings ({}):", warnings.len())
            };
            for w in warnings {
                let _ = writeln!(out, "- {w}");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::rulebook::Rulebook;
    use crate::programme::model::{Buyer, Lot};
    use crate::values::nature::Nature;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn line(id: &str, nature: Nature, euros: u32, date: NaiveDate) -> PlanLine {
        PlanLine::new(
            id,
            format!("ligne {id}"),
            nature,
            Amount::from_euros(euros),
            date,
        )
    }

    /// A programme whose estimation gives every kind of warning.
    fn every_warning() -> Programme {
        let mut lines = Vec::new();
        // splitting risk (EU threshold) and an estimated EU threshold (2028)
        for (id, euros) in [("A1", 120_000), ("A2", 110_000)] {
            let mut l = line(id, Nature::Supplies, euros, day(2028, 3, 1));
            l.family = Some("INF".into());
            lines.push(l);
        }
        // social and other specific services reaching the EU publication threshold
        for id in ["S1", "S2", "S3"] {
            let mut l = line(id, Nature::Services, 300_000, day(2026, 9, 1));
            l.family = Some("REST".into());
            l.specific_services = true;
            lines.push(l);
        }
        // a no-competition case that does not fit works
        let mut l = line("W1", Nature::Works, 50_000, day(2026, 9, 1));
        l.no_competition = Some(NoCompetitionCase::AdditionalDeliveries);
        lines.push(l);
        // small lots over the cap of their consultation
        for (n, euros) in [(1, 60_000), (2, 70_000), (3, 500_000)] {
            let mut l = line(&format!("L{n}"), Nature::Supplies, euros, day(2026, 10, 1));
            l.lot = Some(Lot {
                consultation: "C1".into(),
                number: n,
            });
            lines.push(l);
        }
        // before the rulebook's first thresholds
        lines.push(line("OLD", Nature::Supplies, 50_000, day(2012, 1, 10)));
        Programme::new(
            Buyer::new("Ville", crate::BuyerKind::OtherContractingAuthority),
            lines,
        )
        .unwrap()
    }

    #[test]
    fn every_kind_of_warning_reads_in_french() {
        let p = every_warning();
        let est = p.estimate(Rulebook::embedded()).unwrap();
        let mut kinds = std::collections::BTreeSet::new();
        for (l, e) in p.lines.iter().zip(&est.lines) {
            for w in e.warnings() {
                kinds.insert(format!("{:?}", w.kind));
                let fr = w.text(Lang::Fr, l, &est);
                for english in [
                    " the ",
                    "threshold",
                    " group ",
                    " line ",
                    " is ",
                    "estimate ",
                ] {
                    assert!(!fr.contains(english), "{english:?} in {fr}");
                }
                if let Some(t) = w.threshold {
                    assert!(fr.contains(&euros(t, Lang::Fr)), "{fr}");
                }
                assert_eq!(w.text(Lang::En, l, &est), w.message());
            }
        }
        let want = [
            "SplittingRisk",
            "ThresholdEstimated",
            "EuPublication",
            "CaseDoesNotFit",
            "SmallLotCap",
            "ThresholdUnknown",
        ];
        for k in want {
            assert!(kinds.contains(k), "{k} not produced: {kinds:?}");
        }
    }

    #[test]
    fn french_sentences_name_the_figures() {
        let p = every_warning();
        let est = p.estimate(Rulebook::embedded()).unwrap();
        let text = |id: &str, kind: WarningKind| {
            let l = p.lines.iter().find(|l| l.id == id).unwrap();
            est.line(id)
                .unwrap()
                .warnings()
                .iter()
                .find(|w| w.kind == kind)
                .map(|w| w.text(Lang::Fr, l, &est))
                .unwrap_or_else(|| panic!("{id}: no {kind:?}"))
        };
        let s = text("A1", WarningKind::SplittingRisk);
        assert!(
            s.contains("sous le seuil européen de 216\u{202f}000,00\u{a0}€ (L2124-1)"),
            "{s}"
        );
        assert!(
            s.contains("«\u{a0}fournitures:INF:2028\u{a0}» atteint (230\u{202f}000,00\u{a0}€)"),
            "{s}"
        );
        assert!(s.contains("lignes du groupe\u{a0}: A1 et A2"), "{s}");
        let s = text("A1", WarningKind::ThresholdEstimated);
        assert!(
            s.contains("applicable au 01/03/2028 n'est pas encore publié"),
            "{s}"
        );
        let s = text("S1", WarningKind::EuPublication);
        assert!(s.contains("900\u{202f}000,00\u{a0}€"), "{s}");
        let s = text("W1", WarningKind::CaseDoesNotFit);
        assert!(
            s.contains("«\u{a0}livraisons complémentaires\u{a0}» (R2122-4"),
            "{s}"
        );
        assert!(s.contains("achat de travaux"), "{s}");
        let s = text("OLD", WarningKind::ThresholdUnknown);
        assert!(
            s.starts_with("seuil inconnu\u{a0}: le référentiel n'a pas de seuil"),
            "{s}"
        );
        assert!(s.contains("au 10/01/2012"), "{s}");
    }

    #[test]
    fn the_english_table_is_the_command_s_historic_one() {
        // `--lang en` prints what `spaser programme` printed before it spoke French.
        let p = Programme::sample();
        let est = p.estimate(Rulebook::embedded()).unwrap();
        let cal = Calendar::new(p, &est, &crate::LeadTimes::default(), day(2026, 12, 4)).unwrap();
        let en = p.to_text(&est, &cal, Lang::En);
        assert!(en.starts_with(
            "Programme of Ville de Valmont-sur-Loire (other_contracting_authority), 60 lines, 45 groups — reference date 2026-12-04\n"
        ));
        assert!(en.contains("\nWarnings (26):\n- splitting risk: line \"F26-01\" alone is below the no-competition threshold 60000.00 (R2122-8)"));
        let fr = p.to_text(&est, &cal, Lang::Fr);
        assert_eq!(fr.lines().count(), en.lines().count());
    }
}
