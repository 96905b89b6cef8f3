//! The sourcing sheets: one per prescribing service, in French by default (English
//! available), through the rendering layer (the document model written as Markdown or as one
//! self-contained HTML file), as the SPASER document's prescriber sheets are.

use crate::render::blocks::{Block, Break, Doc, Inline, Table, anchor, strong, text as run};
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
pub(crate) fn location_notice(en: bool) -> &'static str {
    if en {
        "The perimeter (département, region) serves to find suppliers able to answer, never to \
         restrict competition: no lever, criterion or condition rests on where a company is \
         located, and every company may answer the consultations."
    } else {
        "Le périmètre (département, région) sert à trouver des fournisseurs capables de répondre, \
         jamais à restreindre la concurrence : aucun levier, critère ni condition ne repose sur la \
         localisation des entreprises, et toute entreprise peut répondre aux consultations."
    }
}

fn family_title(f: Option<StatusFamily>, en: bool) -> &'static str {
    match (f, en) {
        (Some(StatusFamily::Insertion), false) => "Structures d'insertion",
        (Some(StatusFamily::Insertion), true) => "Insertion structures",
        (Some(StatusFamily::Disability), false) => "Entreprises adaptées et ESAT",
        (Some(StatusFamily::Disability), true) => "Adapted enterprises and ESAT",
        (Some(StatusFamily::Prison), false) => "Travail en détention",
        (Some(StatusFamily::Prison), true) => "Work inside prisons",
        (Some(StatusFamily::SocialEconomy), false) => "Économie sociale et solidaire",
        (Some(StatusFamily::SocialEconomy), true) => "Social and solidarity economy",
        (Some(StatusFamily::Environmental), false) => "Labels environnementaux",
        (Some(StatusFamily::Environmental), true) => "Environmental labels",
        (Some(StatusFamily::Innovation), false) => "Jeunes entreprises innovantes",
        (Some(StatusFamily::Innovation), true) => "Young innovative companies",
        (Some(StatusFamily::Quality), false) => "Labels de qualité",
        (Some(StatusFamily::Quality), true) => "Quality labels",
        (_, false) => "Autres entreprises",
        (_, true) => "Other companies",
    }
}

fn reach_title(level: Level, en: bool) -> &'static str {
    match (level, en) {
        (Level::Departement, false) => "le département",
        (Level::Departement, true) => "the département",
        (Level::Region, false) => "la région",
        (Level::Region, true) => "the region",
        (Level::National, false) => "la France entière",
        (Level::National, true) => "the whole country",
    }
}

fn rec_line(dim: &str, r: &Recommendation, en: bool) -> String {
    let title = if en {
        r.rung.title_en()
    } else {
        r.rung.title_fr()
    };
    let mut s = format!(
        "**{dim} — {title}** ({}) : {}",
        r.legal_basis,
        r.reason(if en { Lang::En } else { Lang::Fr })
    );
    if en {
        s = s.replacen(") : ", "): ", 1);
    }
    if !r.levers.is_empty() {
        s.push_str(if en { " Levers: " } else { " Leviers : " });
        s.push_str(&r.levers.join(", "));
        s.push('.');
    }
    s
}

fn action_blocks(a: &SourcingAction, en: bool, out: &mut Vec<Block>) {
    out.push(heading(2, format!("{} — {}", a.line, a.label)));
    let window = if en {
        format!(
            "Sourcing window: from {} to {}{}",
            text::date(a.sourcing_from, true),
            text::date(a.sourcing_until, true),
            if a.sourcing_late {
                " (should have started)"
            } else {
                ""
            }
        )
    } else {
        format!(
            "Fenêtre de sourçage : du {} au {}{}",
            text::date(a.sourcing_from, false),
            text::date(a.sourcing_until, false),
            if a.sourcing_late {
                " (devrait avoir commencé)"
            } else {
                ""
            }
        )
    };
    let amount = if en {
        format!("Estimated value: {}", text::euros(a.amount, true))
    } else {
        format!("Montant estimé : {}", text::euros(a.amount, false))
    };
    let found = if en {
        format!(
            "Matching suppliers in {}: {}",
            reach_title(a.reach, true),
            a.suppliers_in_reach
        )
    } else {
        format!(
            "Fournisseurs correspondants dans {} : {}",
            reach_title(a.reach, false),
            a.suppliers_in_reach
        )
    };
    out.push(list(vec![amount, window, found]));
    out.push(heading(
        3,
        if en {
            "What the market supports"
        } else {
            "Ce que le marché permet"
        }
        .to_string(),
    ));
    let mut recs = vec![rec_line("Social", &a.social, en)];
    for r in &a.environmental {
        recs.push(rec_line(
            if en { "Environment" } else { "Environnement" },
            r,
            en,
        ));
    }
    out.push(list(recs));

    out.push(heading(
        3,
        if en {
            "Innovative purchase"
        } else {
            "Achat innovant"
        }
        .to_string(),
    ));
    let i = &a.innovation;
    let mut items = vec![if en {
        format!(
            "Innovative-purchase indicator (DECP marcheInnovant): {}",
            if i.innovative { "yes" } else { "no" }
        )
    } else {
        format!(
            "Indicateur « achat innovant » (marcheInnovant des données essentielles) : {}",
            if i.innovative { "oui" } else { "non" }
        )
    }];
    if i.innovation_criterion {
        items.push(
            if en {
                "An innovation award criterion is planned: it rewards innovative offers but does not make the purchase innovative nor count in the indicator."
            } else {
                "Un critère d'attribution sur l'innovation est prévu : il valorise les offres innovantes mais ne rend pas l'achat innovant et ne compte pas dans l'indicateur."
            }
            .to_string(),
        );
    }
    for r in &i.routes {
        let status = match (r.status, en) {
            (RouteStatus::Available, false) => "ouverte",
            (RouteStatus::Available, true) => "open",
            (RouteStatus::Conditional, false) => "sous condition",
            (RouteStatus::Conditional, true) => "conditional",
            (RouteStatus::NotDeclared, false) => "si l'achat est innovant",
            (RouteStatus::NotDeclared, true) => "if the purchase is innovative",
            (RouteStatus::NotAvailable, false) => "fermée",
            (RouteStatus::NotAvailable, true) => "closed",
            (_, false) => "règle inconnue",
            (_, true) => "no rule",
        };
        items.push(format!(
            "**{}** — {status} ({}{}){} {}",
            if en {
                r.article.clone()
            } else {
                r.article.replace(" to ", " à ")
            },
            if en { "confidence " } else { "confiance " },
            r.confidence,
            if en { ":" } else { " :" },
            if en { &r.reason_en } else { &r.reason_fr }
        ));
    }
    out.push(list(items));

    out.push(heading(
        3,
        if en {
            "Suppliers to meet"
        } else {
            "Fournisseurs à rencontrer"
        }
        .to_string(),
    ));
    if a.meet.is_empty() {
        out.push(para(
            if en {
                "No supplier of the directory matches this purchase within reach: widen the search (other directories, a prior information notice, reverse sourcing)."
            } else {
                "Aucun fournisseur du répertoire ne correspond à cet achat dans le périmètre : élargir la recherche (autres annuaires, avis de préinformation, sourçage inversé)."
            }
            .to_string(),
        ));
    }
    for g in &a.meet {
        out.push(para(format!(
            "**{}** ({})",
            family_title(g.family, en),
            g.count
        )));
        let headers = if en {
            [
                "Company",
                "SIRET",
                "Dép.",
                "Statuses and labels",
                "Staff",
                "Turnover",
            ]
        } else {
            [
                "Entreprise",
                "SIRET",
                "Dép.",
                "Statuts et labels",
                "Effectif",
                "Chiffre d'affaires",
            ]
        };
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
            headers.iter().map(|h| (*h).to_string()).collect(),
            vec![5],
            rows,
        ));
        if g.count > g.suppliers.len() {
            let more = g.count - g.suppliers.len();
            out.push(para(if en {
                format!("… and {more} more.")
            } else {
                format!("… et {more} autres.")
            }));
        }
    }
}

fn sheet_blocks(plan: &SourcingPlan, service: &str, en: bool) -> Vec<Block> {
    let mut out = vec![
        heading(1, sheet_title(service, en)),
        para(if en {
            format!(
                "{} · as of {}",
                plan.buyer,
                text::date(plan.reference, true)
            )
        } else {
            format!(
                "{} · situation au {}",
                plan.buyer,
                text::date(plan.reference, false)
            )
        }),
        Block::Para(vec![crate::render::blocks::em(location_notice(en))]),
    ];
    let actions: Vec<&SourcingAction> = plan.of_service(service).collect();
    let headers = if en {
        [
            "Purchase",
            "Value",
            "Sourcing from",
            "Social",
            "Environment",
            "Innovative route",
        ]
    } else {
        [
            "Achat",
            "Montant",
            "Sourçage dès le",
            "Social",
            "Environnement",
            "Voie innovante",
        ]
    };
    let rows = actions
        .iter()
        .map(|a| {
            let env: Vec<&str> = a
                .environmental
                .iter()
                .map(|r| {
                    if en {
                        r.rung.title_en()
                    } else {
                        r.rung.title_fr()
                    }
                })
                .collect();
            let route = a
                .innovation
                .routes
                .iter()
                .filter(|r| matches!(r.status, RouteStatus::Available | RouteStatus::Conditional))
                .map(|r| {
                    if en {
                        r.article.clone()
                    } else {
                        r.article.replace(" to ", " à ")
                    }
                })
                .collect::<Vec<_>>()
                .join(" ; ");
            vec![
                format!("{} — {}", a.line, a.label),
                text::euros(a.amount, en),
                format!(
                    "{}{}",
                    text::date(a.sourcing_from, en),
                    if a.sourcing_late { " ⚠" } else { "" }
                ),
                if en {
                    a.social.rung.title_en()
                } else {
                    a.social.rung.title_fr()
                }
                .to_string(),
                env.join(" ; "),
                if route.is_empty() {
                    "—".to_string()
                } else {
                    route
                },
            ]
        })
        .collect();
    out.push(table(
        headers.iter().map(|h| (*h).to_string()).collect(),
        vec![1],
        rows,
    ));
    for a in &actions {
        action_blocks(a, en, &mut out);
    }
    out.push(heading(
        2,
        if en { "Reminders" } else { "Rappels" }.to_string(),
    ));
    out.push(list(if en {
        vec![
            "Sourcing (CCP R2111-1) prepares the consultation: meeting suppliers commits to nothing, treats them equally and discloses nothing that would favour one of them.".to_string(),
            "A reserved contract is open to every structure of the status, wherever it is located.".to_string(),
            "Thresholds of the ladder: Le Marché de l'inclusion's method (S) and the crate's defaults (?); they can be overridden.".to_string(),
        ]
    } else {
        vec![
            "Le sourçage (CCP R2111-1) prépare la consultation : rencontrer des fournisseurs n'engage à rien, se fait à égalité de traitement et ne doit rien dévoiler qui avantagerait l'un d'eux.".to_string(),
            "Un marché réservé est ouvert à toutes les structures du statut, où qu'elles soient établies.".to_string(),
            "Seuils de l'échelle : méthode du Marché de l'inclusion (S) et valeurs par défaut de la crate (?) ; ils se modifient.".to_string(),
        ]
    }));
    out
}

/// The title of a sheet.
fn sheet_title(service: &str, en: bool) -> String {
    let name = if service == NO_SERVICE {
        if en {
            "Lines without a prescribing service"
        } else {
            "Achats sans service prescripteur"
        }
        .to_string()
    } else {
        service.to_string()
    };
    if en {
        format!("Sourcing sheet — {name}")
    } else {
        format!("Fiche de sourçage — {name}")
    }
}

fn doc(plan: &SourcingPlan, services: &[&str], lang: Lang) -> Doc {
    let en = lang == Lang::En;
    let title = match services {
        [one] => sheet_title(one, en),
        _ => format!(
            "{} — {}",
            if en {
                "Sourcing sheets"
            } else {
                "Fiches de sourçage"
            },
            plan.buyer
        ),
    };
    let blocks = services
        .iter()
        .map(|s| Block::Section {
            class: "sheet",
            brk: Break::Page,
            blocks: sheet_blocks(plan, s, en),
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
