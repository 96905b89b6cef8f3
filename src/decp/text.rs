//! The text a person reads of a DECP read ([`DecpReport::to_text`]) and of an audit finding
//! ([`Finding::text`]), in French or English. Imports the rendering layer's number and date
//! formats; the shares keep the DECP's half-to-even rounding ([`percent`]).

use std::fmt::Write as _;

use super::actuals::{AuditCheck, Finding, percent};
use super::open::DecpReport;
use super::strategy::{FRAMEWORK, OVER_FOUR_YEARS, SINGLE_BID, SME};
use crate::indicators::{GroupBy, IndicatorTable, Measure};
use crate::render::format::{self, NNBSP};
use crate::values::lang::Lang;

/// A French and an English wording.
type Both = (&'static str, &'static str);

/// A theme of the quality report and its counts, each worded in French and English.
type Theme = (Both, Vec<(Both, u64)>);

/// The most audit findings the text lists (the JSON holds them all).
const FINDINGS_SHOWN: usize = 20;

/// `fr` or `en`.
fn t(lang: Lang, fr: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

/// A share rounded half-to-even to one decimal (`46,2 %` / `46.2%`), `-` without a denominator.
fn pct(m: &Measure, value: bool, lang: Lang) -> String {
    let s = if value {
        m.value_share()
    } else {
        m.count_share()
    };
    if s.is_none() {
        return "-".to_string();
    }
    let p = percent(s, 1);
    match lang {
        Lang::Fr => format!("{}{NNBSP}%", p.replace('.', ",")),
        Lang::En => format!("{p}%"),
    }
}

/// `n` and its noun, in the language's plural (French: singular for 0 and 1).
fn count(n: u64, one: &str, many: &str, lang: Lang) -> String {
    let singular = match lang {
        Lang::Fr => n <= 1,
        Lang::En => n == 1,
    };
    format!(
        "{} {}",
        format::integer(n, lang),
        if singular { one } else { many }
    )
}

impl Finding {
    /// What the finding says, in `lang`: what is missing, in which contract, from which date.
    ///
    /// ```
    /// let json = r#"{"marches":{"marche":[{"id":"7","acheteur":{"id":"21350238800019"},
    ///   "montant":50000,"dateNotification":"2026-09-01","codeCPV":"30192000",
    ///   "considerationsEnvironnementales":["Pas de considération environnementale"]}]}}"#;
    /// let r = spaser::decp::indicators(json.as_bytes(), spaser::decp::Actuals::new())?;
    /// let f = &r.audit[0];
    /// assert_eq!(
    ///     f.text(spaser::Lang::Fr),
    ///     "aucune considération environnementale dans un contrat notifié le 1er\u{a0}septembre\u{a0}2026, \
    ///      après l'entrée en vigueur de l'obligation le 22\u{a0}août\u{a0}2026"
    /// );
    /// assert!(f.text(spaser::Lang::En).starts_with("no environmental consideration in a contract"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn text(&self, lang: Lang) -> String {
        let date = format::date(self.date, lang);
        let since = self.effective.map(|d| format::date(d, lang));
        let after = |what: &str| match (&since, lang) {
            (Some(d), Lang::Fr) => {
                format!("{what}, après l'entrée en vigueur de l'obligation le {d}")
            }
            (Some(d), Lang::En) => format!("{what}, after the obligation's date, {d}"),
            (None, _) => what.to_string(),
        };
        match self.check {
            AuditCheck::Environmental => {
                let what = match (self.published, lang) {
                    (true, Lang::Fr) => "aucune considération environnementale",
                    (false, Lang::Fr) => "considérations environnementales non publiées",
                    (true, Lang::En) => "no environmental consideration",
                    (false, Lang::En) => "environmental considerations not published",
                };
                after(&format!(
                    "{what} {} {date}",
                    t(
                        lang,
                        "dans un contrat notifié le",
                        "in a contract notified on"
                    )
                ))
            }
            AuditCheck::SocialAtEuThreshold => {
                let what = match (self.published, lang) {
                    (true, Lang::Fr) => "aucune considération sociale",
                    (false, Lang::Fr) => "considérations sociales non publiées",
                    (true, Lang::En) => "no social consideration",
                    (false, Lang::En) => "social considerations not published",
                };
                let ht = t(lang, " HT", " excl. VAT");
                let money = |a: Option<crate::values::money::Amount>| {
                    a.map_or_else(String::new, |a| format::euros(a.as_decimal(), lang))
                };
                let nature = self.nature.map_or("", |n| match lang {
                    Lang::Fr => match n {
                        crate::values::nature::Nature::Works => "travaux",
                        crate::values::nature::Nature::Supplies => "fournitures",
                        crate::values::nature::Nature::Services => "services",
                    },
                    Lang::En => match n {
                        crate::values::nature::Nature::Works => "works",
                        crate::values::nature::Nature::Supplies => "supplies",
                        crate::values::nature::Nature::Services => "services",
                    },
                });
                let article = self
                    .threshold_article
                    .as_deref()
                    .map(|a| format!(", {a}"))
                    .unwrap_or_default();
                after(&match lang {
                    Lang::Fr => format!(
                        "{what} dans un contrat de {}{ht} notifié le {date}, supérieur ou égal au seuil européen des {nature} ({}{ht}{article})",
                        money(self.amount),
                        money(self.threshold)
                    ),
                    Lang::En => format!(
                        "{what} in a contract of {}{ht} notified on {date}, at or above the EU threshold for {nature} ({}{ht}{article})",
                        money(self.amount),
                        money(self.threshold)
                    ),
                })
            }
            AuditCheck::PriceOnly => {
                let what = t(
                    lang,
                    "le prix est le seul critère d'attribution d'un contrat notifié le",
                    "price was the only award criterion of a contract notified on",
                );
                match (&since, lang) {
                    (Some(d), Lang::Fr) => {
                        format!("{what} {date}, après l'entrée en vigueur de l'article le {d}")
                    }
                    (Some(d), Lang::En) => format!("{what} {date}, after the article's date, {d}"),
                    (None, _) => format!("{what} {date}"),
                }
            }
        }
    }
}

impl DecpReport {
    /// The report as text for a person, in `lang`: the records' accounting, the yearly shares
    /// by buyer and in all, the strategy indicators, each file's data quality and the audit's
    /// first findings. Shares are rounded half-to-even to one decimal, amounts in euros HT.
    /// Rejection reasons and warnings stay as the readers word them (English).
    ///
    /// ```
    /// let json = r#"{"marches":{"marche":[{"id":"1","acheteur":{"id":"21350238800019"},
    ///   "montant":60000,"dateNotification":"2024-03-01"}]}}"#;
    /// let input = spaser::decp::Input::from_reader("a.json", json.as_bytes())?;
    /// let mut reading = spaser::decp::Reading::new(spaser::decp::Options::default());
    /// reading.add(input)?;
    /// let report = reading.finish();
    /// let fr = report.to_text(spaser::Lang::Fr);
    /// assert!(fr.starts_with("Enregistrements\u{a0}: 1 lu, 1 accepté, 0 rejeté"));
    /// assert!(fr.contains("60\u{202f}000,00"));
    /// let en = report.to_text(spaser::Lang::En);
    /// assert!(en.starts_with("Records: 1 read, 1 accepted, 0 rejected"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn to_text(&self, lang: Lang) -> String {
        let mut out = String::new();
        let colon = t(lang, "\u{a0}:", ":");
        let a = &self.accounting;
        let records: [(u64, Both, Both); 6] = [
            (a.read, ("lu", "read"), ("lus", "read")),
            (
                a.accepted,
                ("accepté", "accepted"),
                ("acceptés", "accepted"),
            ),
            (a.rejected, ("rejeté", "rejected"), ("rejetés", "rejected")),
            (
                a.duplicates,
                ("doublon", "duplicate"),
                ("doublons", "duplicates"),
            ),
            (
                a.id_collisions,
                ("collision d'identifiants", "id collision"),
                ("collisions d'identifiants", "id collisions"),
            ),
            (
                a.warnings,
                ("avertissement", "warning"),
                ("avertissements", "warnings"),
            ),
        ];
        let records: Vec<String> = records
            .iter()
            .map(|&(n, one, many)| count(n, t(lang, one.0, one.1), t(lang, many.0, many.1), lang))
            .collect();
        let _ = writeln!(
            out,
            "{}{colon} {}",
            t(lang, "Enregistrements", "Records"),
            records.join(", ")
        );
        for (why, n) in &self.left_out {
            let why = left_out_reason(why, lang);
            let _ = writeln!(
                out,
                "{}{colon} {} ({why})",
                t(lang, "Hors des indicateurs", "Left out of the indicators"),
                format::integer(*n, lang)
            );
        }
        table(
            &mut out,
            t(
                lang,
                "Marchés : part des contrats en nombre/en valeur",
                "Marchés: share of contracts by count/value",
            ),
            &self.actuals.marches,
            self,
            lang,
        );
        if !self.actuals.concessions.rows.is_empty() {
            table(
                &mut out,
                "Concessions",
                &self.actuals.concessions,
                self,
                lang,
            );
        }
        if let Some(s) = &self.strategy {
            let _ = writeln!(
                out,
                "\n{}",
                t(
                    lang,
                    "Stratégie : part des contrats en nombre/en valeur (entre parenthèses, les contrats dont les données ne disent rien)",
                    "Strategy: share of contracts by count/value (in brackets, the contracts whose data do not tell)"
                )
            );
            for year in s.table.years() {
                let mut line = format!("{year}{colon}");
                for (id, label) in [
                    (SINGLE_BID, t(lang, "offre unique", "single bid")),
                    (SME, t(lang, "PME", "SME")),
                    (OVER_FOUR_YEARS, t(lang, "plus de 4 ans", "over 4 years")),
                    (FRAMEWORK, t(lang, "accord-cadre", "framework")),
                ] {
                    if let Some(m) = s.table.total(id, year) {
                        let _ = write!(
                            line,
                            "  {label} {}/{} ({})",
                            pct(m, false, lang),
                            pct(m, true, lang),
                            format::integer(m.unknown, lang)
                        );
                    }
                }
                if let Some(b) = s
                    .bids
                    .iter()
                    .find(|b| b.year == year && b.group_by == GroupBy::Total)
                {
                    let _ = write!(
                        line,
                        "  {} {}",
                        t(lang, "offres en moyenne", "mean bids"),
                        format::number(b.mean, 2, lang)
                    );
                }
                let _ = writeln!(out, "{line}");
            }
        }
        for f in &self.files {
            if let Some(q) = &f.quality {
                let n = |v: u64| format::integer(v, lang);
                let _ = writeln!(
                    out,
                    "\n{} {} ({}){colon}",
                    t(lang, "Qualité de", "Quality of"),
                    f.name,
                    match lang {
                        Lang::Fr => count(q.contracts, "contrat", "contrats", lang),
                        Lang::En => count(q.contracts, "contract", "contracts", lang),
                    }
                );
                // Each theme and each count, in French and English.
                let lines: [Theme; 6] = [
                    (
                        ("montants", "amounts"),
                        vec![
                            (("absent", "missing"), q.missing_amount),
                            (("nul", "zero"), q.zero_amount),
                            (("fictif (1 €…)", "placeholder (€1…)"), q.placeholder_amount),
                            (
                                ("sentinelle (999999…)", "sentinel (999999…)"),
                                q.sentinel_amount,
                            ),
                            (("absurde", "absurd"), q.absurd_amount),
                            (
                                ("loin de ses pairs", "far from its peers"),
                                q.amount_suspect,
                            ),
                            (("très loin", "very far"), q.amount_aberrant),
                        ],
                    ),
                    (
                        ("considérations absentes", "considerations missing"),
                        vec![
                            (("sociales", "social"), q.missing_social),
                            (
                                ("environnementales", "environmental"),
                                q.missing_environmental,
                            ),
                        ],
                    ),
                    (
                        ("SIRET invalide", "invalid SIRET"),
                        vec![
                            (("acheteur", "buyer"), q.invalid_buyer_siret),
                            (("titulaire", "holder"), q.invalid_holder_siret),
                        ],
                    ),
                    (
                        ("données absentes", "data missing"),
                        vec![
                            (("code CPV", "CPV code"), q.missing_cpv),
                            (("nombre d'offres", "number of bids"), q.missing_offers),
                        ],
                    ),
                    (
                        ("dates", "dates"),
                        vec![
                            (("inutilisables", "unusable"), q.unusable_dates),
                            (
                                (
                                    "publication avant la notification",
                                    "published before notification",
                                ),
                                q.publication_before_notification,
                            ),
                        ],
                    ),
                    (
                        ("doublons", "duplicates"),
                        vec![
                            (("dans le fichier", "in the file"), q.duplicates),
                            (
                                (
                                    "déjà lus dans un fichier précédent",
                                    "read in an earlier file",
                                ),
                                q.cross_file_duplicates,
                            ),
                        ],
                    ),
                ];
                for ((head_fr, head_en), items) in lines {
                    let items: Vec<String> = items
                        .iter()
                        .map(|&((fr, en), v)| format!("{} {}", t(lang, fr, en), n(v)))
                        .collect();
                    let head = t(lang, head_fr, head_en);
                    let _ = writeln!(out, "  {head}{colon} {}", items.join(", "));
                }
            }
        }
        let audit = &self.actuals.audit;
        let found = audit.len() as u64;
        let _ = writeln!(
            out,
            "\n{}{colon} {} (L2112-2, L2112-2-1, R2152-7{})",
            t(lang, "Audit", "Audit"),
            match lang {
                Lang::Fr => count(found, "manquement probable", "manquements probables", lang),
                Lang::En => count(found, "probable finding", "probable findings", lang),
            },
            t(
                lang,
                "\u{202f}; les DECP ne publient pas la date de lancement de la consultation, qui déclenche l'obligation",
                "; the DECP do not publish the launch date that triggers the obligation"
            )
        );
        for f in audit.iter().take(FINDINGS_SHOWN) {
            let kind = match f.contract.as_str() {
                "marche" => "marché",
                k => k,
            };
            let buyer = self
                .names
                .get(&f.buyer)
                .map_or(f.buyer.clone(), |name| format!("{name}, {}", f.buyer));
            let _ = writeln!(
                out,
                "  {kind} {} ({buyer}){colon} {} [{}]",
                f.id,
                f.text(lang),
                f.article
            );
        }
        if audit.len() > FINDINGS_SHOWN {
            let _ = writeln!(
                out,
                "  {}",
                match lang {
                    Lang::Fr => format!(
                        "… et {} autres (toutes dans --format json)",
                        format::integer(found - FINDINGS_SHOWN as u64, lang)
                    ),
                    Lang::En => format!(
                        "… and {} more (all of them in --format json)",
                        format::integer(found - FINDINGS_SHOWN as u64, lang)
                    ),
                }
            );
        }
        out
    }
}

/// A reason of [`DecpReport::left_out`] in `lang` (a rejection's reason stays as the reader
/// words it).
fn left_out_reason(why: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return why.to_string();
    }
    match why {
        "already read from an earlier file" => "déjà lu dans un fichier précédent".to_string(),
        "filtered out" => "écarté par les filtres".to_string(),
        "duplicate of an earlier record of the file" => {
            "doublon d'un enregistrement précédent du fichier".to_string()
        }
        other => match other.strip_prefix("rejected: ") {
            Some(r) => format!("rejet\u{a0}: {}", rejection_fr(r)),
            None => other.to_string(),
        },
    }
}

/// The general reason of a rejection in French, for the consolidated readers' reasons (the
/// other readers' stay as they word them).
fn rejection_fr(head: &str) -> String {
    let words: Vec<&str> = head.split(' ').collect();
    match words.as_slice() {
        ["no", "usable", field] => format!("pas de {field} utilisable"),
        ["row", "without", "uid:", "cannot", "be", "grouped"] => {
            "ligne sans uid\u{a0}: impossible à regrouper".to_string()
        }
        ["uid", "or", "id", "longer", "than", n, "bytes:", "cannot", "be", "grouped"] => {
            format!("uid ou id de plus de {n}\u{a0}octets\u{a0}: impossible à regrouper")
        }
        [
            "more", "than", "4", "GiB", "of", "distinct", "uids", "and", "ids", "in", "one",
            "file:", "the", "row", "cannot", "be", "grouped",
        ] => "plus de 4\u{a0}Gio d'uid et d'id distincts dans un fichier\u{a0}: ligne impossible à regrouper (scindez le fichier)".to_string(),
        [n, "fields", "where", "the", "header", "has", m] => {
            format!("{n} champs alors que l'en-tête en a {m}")
        }
        ["an", "unterminated", "quoted", "field"] => {
            "un champ entre guillemets jamais fermé".to_string()
        }
        [
            "a",
            "row",
            "still",
            "open",
            n,
            "MiB",
            "after",
            "its",
            "start",
        ] => {
            format!("une ligne encore ouverte {n}\u{a0}Mio après son début")
        }
        [
            n,
            "rows",
            "of",
            "row",
            "group",
            g,
            "cannot",
            "be",
            "decoded",
        ] => {
            format!("{n} lignes du groupe de lignes {g} illisibles")
        }
        _ => head.to_string(),
    }
}

/// The table of an indicator table's yearly shares, by buyer then in all.
fn table(out: &mut String, title: &str, t: &IndicatorTable, report: &DecpReport, lang: Lang) {
    let _ = writeln!(out, "\n{title}");
    let h = |fr: &'static str, en: &'static str| match lang {
        Lang::Fr => fr,
        Lang::En => en,
    };
    let _ = writeln!(
        out,
        "{:<16} {:>5} {:>7} {:>20} {:>16} {:>16} {:>9} {:>10} {:>8}  {}",
        h("acheteur", "buyer"),
        h("année", "year"),
        "n",
        h("montant (€ HT)", "value (€ excl. VAT)"),
        h("social nb/val", "social n/val"),
        h("environ. nb/val", "environ. n/val"),
        h("réservés", "reserved"),
        h("innovants", "innovative"),
        h("inconnus", "unknown"),
        h("nom", "name")
    );
    let row =
        |out: &mut String, label: &str, year: i32, name: &str, get: &dyn Fn(&str) -> Measure| {
            let (s, e, r, i) = (
                get("social"),
                get("environmental"),
                get("reserved"),
                get("innovative"),
            );
            let _ = writeln!(
                out,
                "{:<16} {:>5} {:>7} {:>20} {:>16} {:>16} {:>9} {:>10} {:>8}  {name}",
                label,
                year,
                format::integer(s.purchases, lang),
                format::decimal(s.value, 2, lang),
                format!("{}/{}", pct(&s, false, lang), pct(&s, true, lang)),
                format!("{}/{}", pct(&e, false, lang), pct(&e, true, lang)),
                pct(&r, false, lang),
                pct(&i, false, lang),
                format::integer(s.unknown.max(e.unknown), lang),
            );
        };
    for (group, years) in super::actuals::by_group(t, GroupBy::Buyer) {
        let label = if group.is_empty() {
            h("(inconnu)", "(unknown)")
        } else {
            group.as_str()
        };
        let name = report.names.get(&group).map_or("", String::as_str);
        for year in years.keys() {
            row(out, label, *year, name, &|id| {
                t.get(id, *year, GroupBy::Buyer, &group)
                    .cloned()
                    .unwrap_or_default()
            });
        }
    }
    for year in t.years() {
        row(out, h("TOUS", "ALL"), year, "", &|id| {
            t.total(id, year).cloned().unwrap_or_default()
        });
    }
}
