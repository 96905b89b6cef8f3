//! The rules in force as a person reads them (`spaser rules`), in French or in English: the
//! thresholds with their amounts in euros, the obligations in words, each with its article,
//! period and confidence.

use std::fmt::Write as _;

use crate::law::context::ReservedArticle;
use crate::law::in_force::RulesInForce;
use crate::law::obligation_rules::{EgalimShare, ObligationId, RateCell, SpaserBasis};
use crate::law::rulebook::ThresholdEntry;
use crate::render::format::{self, NBSP, Rounding};
use crate::values::buyer_kind::{BuyerKind, BuyerStatus};
use crate::values::lang::Lang;
use crate::values::money::Amount;
use crate::values::period::Period;

impl ObligationId {
    /// The obligation in words, in `lang`.
    ///
    /// ```
    /// use spaser::{Lang, ObligationId};
    /// assert_eq!(ObligationId::SocialExecutionCondition.label(Lang::Fr),
    ///            "condition d'exécution sociale");
    /// assert_eq!(ObligationId::SocialExecutionCondition.label(Lang::En),
    ///            "social execution condition");
    /// ```
    pub fn label(&self, lang: Lang) -> &'static str {
        let (fr, en) = match self {
            ObligationId::EnvironmentalExecutionCondition => (
                "condition d'exécution environnementale",
                "environmental execution condition",
            ),
            ObligationId::SocialExecutionCondition => (
                "condition d'exécution sociale",
                "social execution condition",
            ),
            ObligationId::EnvironmentalAwardCriterion => (
                "critère d'attribution environnemental",
                "environmental award criterion",
            ),
            ObligationId::ConcessionAwardCriteria => (
                "critères d'attribution des concessions",
                "concession award criteria",
            ),
            ObligationId::AwardCriteriaWeights => (
                "pondération des critères d'attribution",
                "award criteria weighted",
            ),
            ObligationId::SustainableSpecifications => (
                "spécifications techniques durables",
                "sustainable technical specifications",
            ),
            ObligationId::AperEnvironmentalCriterion => (
                "critère environnemental (loi APER)",
                "environmental criterion (APER law)",
            ),
            ObligationId::ReservedContract => ("marché réservé", "reserved contract"),
            ObligationId::Spaser => ("SPASER", "SPASER"),
            ObligationId::AgecReuse => ("AGEC\u{a0}: part de réemploi", "AGEC: reuse share"),
            ObligationId::AgecRecycled => (
                "AGEC\u{a0}: part de matière recyclée",
                "AGEC: recycled-content share",
            ),
            ObligationId::Agec2021 => ("AGEC\u{a0}: tableau de 2021", "AGEC: 2021 table"),
            ObligationId::EgalimQuality => (
                "EGalim\u{a0}: produits durables et de qualité",
                "EGalim: sustainable and quality products",
            ),
            ObligationId::EgalimOrganic => {
                ("EGalim\u{a0}: produits bio", "EGalim: organic products")
            }
            ObligationId::EgalimMeatFish => (
                "EGalim\u{a0}: viandes et poissons durables et de qualité",
                "EGalim: sustainable and quality meat and fish",
            ),
        };
        lang.pick(fr, en)
    }
}

fn kind_label(kind: BuyerKind, lang: Lang) -> &'static str {
    match kind {
        BuyerKind::CentralGovernment => {
            lang.pick("autorités publiques centrales", "central government")
        }
        BuyerKind::OtherContractingAuthority => lang.pick(
            "autres pouvoirs adjudicateurs",
            "other contracting authorities",
        ),
        BuyerKind::Utility => lang.pick("entités adjudicatrices", "utilities"),
        BuyerKind::DefenceSecurity => lang.pick("défense ou sécurité", "defence or security"),
    }
}

fn status_label(status: BuyerStatus, lang: Lang) -> &'static str {
    match status {
        BuyerStatus::State => lang.pick("l'État", "the State"),
        BuyerStatus::StatePublicEstablishment => {
            lang.pick("ses établissements publics", "State public establishments")
        }
        BuyerStatus::LocalAuthority => lang.pick(
            "les collectivités territoriales et leurs groupements",
            "local authorities and their groupings",
        ),
        BuyerStatus::Hospital => lang.pick("les établissements de santé", "hospitals"),
        BuyerStatus::StatutoryBody => lang.pick(
            "les acheteurs dont le statut est fixé par la loi",
            "buyers whose status is set by law",
        ),
        BuyerStatus::OtherContractingAuthority => lang.pick(
            "les autres pouvoirs adjudicateurs",
            "other contracting authorities",
        ),
        BuyerStatus::Utility => lang.pick("les entités adjudicatrices", "utilities"),
        BuyerStatus::Defence => lang.pick("la défense", "defence"),
    }
}

/// Who a reserved contract is for (FACTS §5).
fn reserved_for(article: ReservedArticle, lang: Lang) -> &'static str {
    match article {
        ReservedArticle::L2113_12 => lang.pick(
            "entreprises adaptées, ESAT et équivalents",
            "adapted enterprises, ESAT and equivalents",
        ),
        ReservedArticle::L2113_13 => lang.pick(
            "structures d'insertion par l'activité économique (SIAE)",
            "work integration structures (SIAE)",
        ),
        ReservedArticle::L2113_13_1 => lang.pick(
            "opérateurs employant des personnes détenues",
            "operators employing detainees",
        ),
        ReservedArticle::L2113_15 => lang.pick(
            "entreprises de l'ESS chargées d'une mission de service public",
            "social economy enterprises with a public-service mission",
        ),
    }
}

fn egalim_label(share: EgalimShare, lang: Lang) -> &'static str {
    match share {
        EgalimShare::Quality => lang.pick(
            "produits durables et de qualité, dont bio",
            "sustainable and quality products, organic included",
        ),
        EgalimShare::Organic => lang.pick("produits bio", "organic products"),
        EgalimShare::MeatFish => lang.pick(
            "viandes et poissons durables et de qualité",
            "sustainable and quality meat and fish",
        ),
    }
}

/// A period: `depuis le 01/04/2026`, `du 01/01/2026 au 31/12/2027` / `from 2026-04-01`,
/// `2026-01-01 to 2027-12-31`.
fn period(p: &Period, lang: Lang) -> String {
    match (p.end(), lang) {
        (None, Lang::Fr) => format!("depuis le {}", format::short_date(p.start(), lang)),
        (None, Lang::En) => format!("from {}", format::short_date(p.start(), lang)),
        (Some(e), Lang::Fr) => format!(
            "du {} au {}",
            format::short_date(p.start(), lang),
            format::short_date(e, lang)
        ),
        (Some(e), Lang::En) => format!(
            "{} to {}",
            format::short_date(p.start(), lang),
            format::short_date(e, lang)
        ),
    }
}

/// Whole euros without decimals: `60 000 €` / `€60,000`; cents when there are.
fn euros(a: Amount, lang: Lang) -> String {
    let n = format::number(a.as_decimal(), 2, lang);
    match lang {
        Lang::Fr => format!("{n}{NBSP}€"),
        Lang::En => format!("€{n}"),
    }
}

fn rate_cell(c: &RateCell, lang: Lang) -> String {
    let rate = c.rate.map_or_else(
        || "—".to_string(),
        |s| format::percent(s, Rounding::Nearest, lang),
    );
    format!("{rate} [{}]", c.confidence)
}

/// Writes a table: a header and rows, columns padded to their widest cell (in characters),
/// those of `right` aligned right; the last column is not padded.
fn table(out: &mut String, header: &[&str], right: &[usize], rows: &[Vec<String>]) {
    let width = |i: usize| {
        rows.iter()
            .filter_map(|r| r.get(i))
            .map(|c| c.chars().count())
            .chain(std::iter::once(header[i].chars().count()))
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let header: Vec<String> = header.iter().map(|h| (*h).to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = widths[i].saturating_sub(cell.chars().count());
            let last = i + 1 == row.len();
            if right.contains(&i) {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if !last {
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// The word list of `items` in `lang`: `a, b et c` / `a, b and c`.
fn words(items: impl IntoIterator<Item = String>, lang: Lang) -> String {
    let items: Vec<String> = items.into_iter().collect();
    format::join_words(&items, lang)
}

fn threshold_rows(
    rows: &mut Vec<Vec<String>>,
    title: &str,
    entries: &[ThresholdEntry],
    lang: Lang,
) {
    for e in entries {
        let natures = e
            .natures
            .iter()
            .map(|n| lang.pick(n.label_fr(), n.as_str()).to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let kinds = if e.buyer_kinds.is_empty() {
            lang.pick("tous les acheteurs", "every buyer").to_string()
        } else {
            e.buyer_kinds
                .iter()
                .map(|k| kind_label(*k, lang))
                .collect::<Vec<_>>()
                .join(", ")
        };
        rows.push(vec![
            title.to_string(),
            natures,
            euros(e.value, lang),
            e.article.clone(),
            e.confidence.to_string(),
            period(&e.period, lang),
            kinds,
        ]);
    }
}

impl RulesInForce {
    /// The rules in force as text for a person, in `lang`: the procedure thresholds, the
    /// contract obligations with the date each article binds from, the SPASER obligation,
    /// the reserved contracts, the AGEC shares of the year and the EGalim shares, each with
    /// its article, period and confidence (V verified in the legal text, S from a secondary
    /// source, ? an unestablished default to check).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use spaser::{Lang, Rulebook};
    /// let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    /// let now = Rulebook::embedded().in_force(day, None);
    /// let fr = now.to_text(Lang::Fr);
    /// assert!(fr.starts_with("Règles en vigueur le 1er\u{a0}septembre\u{a0}2026"));
    /// assert!(fr.contains("L2112-2 à partir du 22/08/2026"));
    /// let en = now.to_text(Lang::En);
    /// assert!(en.starts_with("Rules in force on 2026-09-01"));
    /// ```
    pub fn to_text(&self, lang: Lang) -> String {
        let r = &self.rules;
        let fr = lang == Lang::Fr;
        let mut out = String::new();
        let who = match (self.buyer_kind, lang) {
            (None, Lang::Fr) => "tous les acheteurs".to_string(),
            (None, Lang::En) => "every buyer kind".to_string(),
            (Some(k), Lang::Fr) => format!("les {}", kind_label(k, lang)),
            (Some(k), Lang::En) => kind_label(k, lang).to_string(),
        };
        let _ = if fr {
            writeln!(
                out,
                "Règles en vigueur le {} pour {who} (référentiel {})",
                format::date(self.date, lang),
                r.version
            )
        } else {
            writeln!(
                out,
                "Rules in force on {} for {who} (rulebook {})",
                self.date, r.version
            )
        };

        let _ = writeln!(
            out,
            "\n{}",
            lang.pick(
                "Seuils de procédure (euros HT ; les dispenses s'appliquent strictement en dessous, la procédure formalisée à partir du seuil européen)",
                "Procedure thresholds (euros HT; exemptions apply strictly below, the formal procedure at or above the EU threshold)"
            )
            .replace(" ;", "\u{202f};")
        );
        let mut rows = Vec::new();
        for (fr_title, en_title, entries) in [
            (
                "sans publicité ni concurrence",
                "no competition",
                &r.no_competition,
            ),
            ("achat innovant", "innovative purchase", &r.innovative),
            ("lot innovant", "innovative lot", &r.innovative_lots),
            (
                "achat innovant de défense",
                "defence innovative",
                &r.defence_innovative,
            ),
            ("selon l'objet", "by object", &r.object_exemptions),
            (
                "petit lot, sans concurrence",
                "small lot, no competition",
                &r.small_lots_no_competition,
            ),
            (
                "petit lot, procédure adaptée",
                "small lot, adapted",
                &r.small_lots,
            ),
            ("seuil européen", "EU", &r.eu),
            (
                "services spécifiques (UE)",
                "specific services EU",
                &r.specific_services,
            ),
        ] {
            threshold_rows(&mut rows, lang.pick(fr_title, en_title), entries, lang);
        }
        let header = if fr {
            [
                "seuil",
                "natures",
                "montant",
                "article",
                "conf.",
                "période",
                "acheteurs",
            ]
        } else {
            [
                "threshold",
                "natures",
                "value",
                "article",
                "conf",
                "period",
                "buyers",
            ]
        };
        table(&mut out, &header, &[2], &rows);

        let o = &r.obligations;
        let _ = writeln!(
            out,
            "\n{}",
            lang.pick(
                "Obligations des marchés (chaque article s'applique aux consultations lancées à partir de sa date)",
                "Contract obligations (each article applies to consultations launched from its date)"
            )
        );
        let mut rows = Vec::new();
        for c in &o.contract {
            let articles: Vec<String> = c
                .articles
                .iter()
                .map(|a| {
                    format!(
                        "{} {} {}",
                        a.article,
                        lang.pick("à partir du", "from"),
                        format::short_date(a.from, lang)
                    )
                })
                .collect();
            let mut status = match c.binding_from() {
                Some(d) if d > self.date => format!(
                    "{} {}",
                    lang.pick("applicable à partir du", "binding from"),
                    format::short_date(d, lang)
                ),
                _ => lang.pick("applicable", "binding").to_string(),
            };
            if let Some(a) = &c.concession_article {
                let _ = write!(
                    status,
                    " ({}{a})",
                    lang.pick("concessions\u{a0}: ", "concessions: ")
                );
            }
            rows.push(vec![
                c.id.label(lang).to_string(),
                articles.join(", "),
                c.confidence.to_string(),
                status,
            ]);
        }
        if rows.is_empty() {
            let _ = writeln!(out, "{}", lang.pick("(aucune)", "(none)"));
        } else {
            let header = if fr {
                ["obligation", "articles", "conf.", "statut"]
            } else {
                ["obligation", "articles", "conf", "status"]
            };
            table(&mut out, &header, &[], &rows);
        }

        let _ = writeln!(
            out,
            "\n{}",
            lang.pick("Obligation de SPASER", "SPASER obligation")
        );
        match o.spaser.first() {
            Some(s) => {
                let basis = match (s.basis, lang) {
                    (SpaserBasis::Expenditure, Lang::Fr) => {
                        "montant annuel des dépenses au titre des marchés publics"
                    }
                    (SpaserBasis::Expenditure, Lang::En) => {
                        "yearly expenditure under public contracts"
                    }
                    (SpaserBasis::ContractsConcluded, Lang::Fr) => {
                        "montant annuel des marchés conclus"
                    }
                    (SpaserBasis::ContractsConcluded, Lang::En) => {
                        "yearly value of contracts concluded"
                    }
                };
                let scope = words(
                    s.scope.iter().map(|b| status_label(*b, lang).to_string()),
                    lang,
                );
                let disputed = if s.disputed.is_empty() {
                    String::new()
                } else {
                    format!(
                        " ({}{})",
                        lang.pick("couverture contestée\u{a0}: ", "coverage disputed: "),
                        words(
                            s.disputed
                                .iter()
                                .map(|b| status_label(*b, lang).to_string()),
                            lang
                        )
                    )
                };
                let _ = if fr {
                    writeln!(
                        out,
                        "{basis} strictement supérieur à {} HT\u{a0}; acheteurs\u{a0}: {scope}{disputed} — {} [{}], {}",
                        euros(s.threshold, lang),
                        s.article,
                        s.confidence,
                        period(&s.period, lang)
                    )
                } else {
                    writeln!(
                        out,
                        "{basis} strictly above {} HT; buyers: {scope}{disputed} — {} [{}], {}",
                        euros(s.threshold, lang),
                        s.article,
                        s.confidence,
                        period(&s.period, lang)
                    )
                };
            }
            None => {
                let _ = writeln!(
                    out,
                    "{}",
                    lang.pick("(aucune règle à cette date)", "(no rule on this date)")
                );
            }
        }

        let _ = writeln!(
            out,
            "\n{}",
            lang.pick("Marchés réservés", "Reserved contracts")
        );
        let mut rows = Vec::new();
        for rr in &o.reserved {
            let mut scope = if rr.cpv_prefixes.is_empty() {
                lang.pick("tout CPV", "any CPV").to_string()
            } else {
                format!("CPV {}", rr.cpv_prefixes.join(", "))
            };
            if let Some(m) = rr.max_duration_months {
                let _ = write!(
                    scope,
                    "{} {m} {}",
                    lang.pick(" ; au plus", ", at most"),
                    lang.pick("mois", "months")
                );
            }
            rows.push(vec![
                rr.article.to_string(),
                reserved_for(rr.article, lang).to_string(),
                rr.confidence.to_string(),
                format::typography(&scope, lang),
            ]);
        }
        if rows.is_empty() {
            let _ = writeln!(out, "{}", lang.pick("(aucun)", "(none)"));
        } else {
            let header = if fr {
                ["article", "réservé aux", "conf.", "marchés concernés"]
            } else {
                ["article", "reserved for", "conf", "contracts covered"]
            };
            table(&mut out, &header, &[], &rows);
        }

        if let Some(t) = &o.agec {
            let _ = if fr {
                writeln!(
                    out,
                    "\nParts minimales AGEC (art. 58) pour {} ({}, {}\u{a0}; — : taux non établi)",
                    self.date.format("%Y"),
                    t.article,
                    period(&t.period, lang)
                )
            } else {
                writeln!(
                    out,
                    "\nAGEC art. 58 shares of {} ({}, {}; —: rate not established)",
                    self.date.format("%Y"),
                    t.article,
                    period(&t.period, lang)
                )
            };
            let rows: Vec<Vec<String>> = t
                .rates
                .iter()
                .map(|rate| {
                    let label = lang.pick(rate.category.label_fr(), rate.category.label_en());
                    let mut category: String = label.chars().take(60).collect();
                    if label.chars().count() > 60 {
                        category.pop();
                        category.push('…');
                    }
                    vec![
                        category,
                        rate.milestone.to_string(),
                        rate_cell(&rate.reuse, lang),
                        rate_cell(&rate.recycled, lang),
                    ]
                })
                .collect();
            let header = if fr {
                ["catégorie", "jalon", "réemploi", "recyclé"]
            } else {
                ["category", "milestone", "reuse", "recycled"]
            };
            table(&mut out, &header, &[1, 2, 3], &rows);
        }
        if let Some(t) = &o.agec_2021 {
            let _ = if fr {
                writeln!(
                    out,
                    "\nTableau AGEC de 2021 ({}, {})\u{a0}: {} lignes",
                    t.article,
                    period(&t.period, lang),
                    t.lines.len()
                )
            } else {
                writeln!(
                    out,
                    "\nAGEC 2021 table ({}, {}): {} lines",
                    t.article,
                    period(&t.period, lang),
                    t.lines.len()
                )
            };
        }

        let _ = writeln!(
            out,
            "\n{}",
            lang.pick(
                "Parts EGalim des achats de denrées alimentaires (en valeur)",
                "EGalim shares of food purchases (by value)"
            )
        );
        let rows: Vec<Vec<String>> = o
            .egalim
            .iter()
            .map(|e| {
                vec![
                    egalim_label(e.id, lang).to_string(),
                    format::percent(e.rate, Rounding::Nearest, lang),
                    e.article.clone(),
                    e.confidence.to_string(),
                    period(&e.period, lang),
                ]
            })
            .collect();
        if rows.is_empty() {
            let _ = writeln!(out, "{}", lang.pick("(aucune)", "(none)"));
        } else {
            let header = if fr {
                ["part", "minimum", "article", "conf.", "période"]
            } else {
                ["share", "minimum", "article", "conf", "period"]
            };
            table(&mut out, &header, &[1], &rows);
        }
        let _ = writeln!(
            out,
            "\n{}",
            lang.pick(
                "Confiance\u{a0}: V vérifié dans le texte juridique, S d'une source secondaire, ? valeur par défaut non établie, à vérifier.",
                "Confidence: V verified in the legal text, S from a secondary source, ? an unestablished default to check."
            )
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::rulebook::Rulebook;
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const DAYS: [(i32, u32, u32); 6] = [
        (2019, 6, 1),
        (2023, 1, 1),
        (2026, 8, 1),
        (2026, 8, 21),
        (2026, 9, 1),
        (2028, 1, 1),
    ];

    #[test]
    fn the_french_text_is_french_and_names_every_obligation_in_words() {
        for (y, m, d) in DAYS {
            let now = Rulebook::embedded().in_force(day(y, m, d), None);
            let t = now.to_text(Lang::Fr);
            for english in [
                " from ",
                "binding",
                "every",
                "buyers",
                "(none)",
                "Confidence",
                "threshold",
                "supplies",
                "works",
                "shares",
                "months",
                "any CPV",
                "rulebook",
            ] {
                assert!(!t.contains(english), "{y}-{m}-{d}: {english:?} in\n{t}");
            }
            for c in &now.rules.obligations.contract {
                assert!(t.contains(c.id.label(Lang::Fr)), "{}", c.id);
                assert!(!t.contains(c.id.as_str()), "{}", c.id);
            }
            assert_eq!(t, now.to_text(Lang::Fr), "deterministic");
        }
    }

    #[test]
    fn each_article_says_from_when_it_applies() {
        // On 2026-08-21 R2152-7 applies, L2152-7 only from the next day; L2112-2 (the
        // environmental execution condition) is not yet in force.
        let now = Rulebook::embedded().in_force(day(2026, 8, 21), None);
        let fr = now.to_text(Lang::Fr);
        let line = fr
            .lines()
            .find(|l| l.starts_with("critère d'attribution environnemental"))
            .unwrap();
        assert!(
            line.contains("R2152-7 à partir du 21/08/2026, L2152-7 à partir du 22/08/2026"),
            "{line}"
        );
        assert!(
            !fr.contains("condition d'exécution environnementale"),
            "{fr}"
        );
        let en = now.to_text(Lang::En);
        let line = en
            .lines()
            .find(|l| l.starts_with("environmental award criterion"))
            .unwrap();
        assert!(
            line.contains("R2152-7 from 2026-08-21, L2152-7 from 2026-08-22"),
            "{line}"
        );
    }

    #[test]
    fn threshold_amounts_are_right_aligned_in_euros() {
        for lang in [Lang::Fr, Lang::En] {
            let t = Rulebook::embedded()
                .in_force(day(2026, 9, 1), None)
                .to_text(lang);
            let rows: Vec<&str> = t
                .lines()
                .skip_while(|l| !l.starts_with(lang.pick("seuil ", "threshold ")))
                .skip(1)
                .take_while(|l| !l.is_empty())
                .collect();
            assert!(rows.len() >= 10, "{t}");
            // the article column starts at the same character on every row
            let at = |l: &str| {
                let i = l.find(['R', 'L']).unwrap();
                l[..i].chars().count()
            };
            assert!(rows.iter().all(|l| at(l) == at(rows[0])), "{t}");
            let sixty = lang.pick("60\u{202f}000\u{a0}€", "€60,000");
            assert!(rows.iter().any(|l| l.contains(sixty)), "{t}");
        }
    }

    #[test]
    fn obligation_labels_are_distinct() {
        // every variant is in ALL: its serialized names are distinct too
        let names: std::collections::BTreeSet<&str> =
            ObligationId::ALL.iter().map(ObligationId::as_str).collect();
        assert_eq!(names.len(), ObligationId::ALL.len());
        let all = ObligationId::ALL;
        for lang in [Lang::Fr, Lang::En] {
            let labels: std::collections::BTreeSet<&str> =
                all.iter().map(|o| o.label(lang)).collect();
            assert_eq!(labels.len(), all.len());
        }
    }
}
