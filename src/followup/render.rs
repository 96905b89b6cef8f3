//! A small private renderer of the yearly review: a French/English message table, French
//! number and date formatting, Markdown, self-contained HTML and an SVG bar chart.
//!
//! Minimal on purpose: the crate's rendering layer (message catalogue, typography, charts) is
//! being written elsewhere; the review's content is data ([`Review`]) and moves to it as is.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use super::compare::{ProcedureCheck, Publication};
use super::link::Unlinked;
use super::review::{Cause, Review, TargetReview};
use crate::indicators::{Basis, Measure};
use crate::programme::estimate::Procedure;
use crate::values::lang::Lang;
use crate::values::money::Amount;
use crate::values::share::Share;

/// Narrow no-break space (French thousands separator).
const NNBSP: char = '\u{202f}';
/// No-break space (before `€`, `%`, `:`).
const NBSP: char = '\u{a0}';

/// The review's sentences and labels, French then English.
#[derive(Debug, Clone, Copy)]
enum K {
    Title,
    DataAsOf,
    Summary,
    SumContracts,
    SumTargets,
    Targets,
    Target,
    Basis,
    Goal,
    Projected,
    Realised,
    Gap,
    Met,
    Yes,
    No,
    NoScope,
    Count,
    Value,
    CausesOf,
    CauseUnplanned,
    CauseNotPublished,
    CauseLate,
    CausePending,
    NoCause,
    Publication,
    PublicationNote,
    Indicator,
    Year,
    Contracts,
    WithConsideration,
    ShareCount,
    AmountHt,
    ValueWith,
    ShareValue,
    Unknown,
    Services,
    ServicesNote,
    Service,
    SocialCount,
    EnvironmentalCount,
    NotLinked,
    Outcomes,
    Line,
    Object,
    Estimate,
    Awarded,
    Difference,
    Expected,
    Notified,
    Delay,
    Contract,
    Maximum,
    Procedure,
    NotPublished,
    SharedNote,
    Unplanned,
    Considerations,
    None,
    Unlinked,
    State,
    ExpectedBy,
    DaysLate,
    Method,
    MethodLink,
    MethodCount,
    MethodProcedure,
    ChartTitle,
    Social,
    Environmental,
    Reserved,
    Innovative,
    Nothing,
}

fn t(lang: Lang, k: K) -> &'static str {
    let (fr, en) = match k {
        K::Title => ("Bilan annuel du SPASER", "SPASER yearly review"),
        K::DataAsOf => ("données arrêtées au", "data as of"),
        K::Summary => ("Synthèse", "Summary"),
        K::SumContracts => (
            "(données essentielles de la commande publique, DECP) : {a} issus de la programmation, {b} hors programmation",
            "(DECP open data): {a} from the programme, {b} unplanned",
        ),
        K::SumTargets => ("objectifs atteints sur", "targets met out of"),
        K::Targets => (
            "Objectifs : prévu, réalisé, écart",
            "Targets: planned, realised, gap",
        ),
        K::Target => ("Objectif", "Target"),
        K::Basis => ("Base", "Basis"),
        K::Goal => ("Cible", "Goal"),
        K::Projected => (
            "Projection à la planification",
            "Projection at planning time",
        ),
        K::Realised => ("Réalisé (DECP)", "Realised (DECP)"),
        K::Gap => ("Écart", "Gap"),
        K::Met => ("Atteint", "Met"),
        K::Yes => ("oui", "yes"),
        K::No => ("non", "no"),
        K::NoScope => ("aucun achat dans le périmètre", "no purchase in scope"),
        K::Count => ("en nombre", "by count"),
        K::Value => ("en valeur", "by value"),
        K::CausesOf => ("Causes de l'écart", "Causes of the gap"),
        K::CauseUnplanned => (
            "achats hors programmation dans le périmètre : {a}, {b} HT, dont {c} avec la considération",
            "unplanned purchases in scope: {a}, {b} excluding VAT, {c} of them with the consideration",
        ),
        K::CauseNotPublished => (
            "leviers prévus mais non publiés dans le contrat : {a}",
            "levers planned but not published in the contract: {a}",
        ),
        K::CauseLate => (
            "lignes en retard ou abandonnées qui portaient la considération : {a}",
            "late or abandoned lines that carried the consideration: {a}",
        ),
        K::CausePending => (
            "lignes encore attendues qui portent la considération : {a}",
            "lines still expected that carry the consideration: {a}",
        ),
        K::NoCause => (
            "aucune cause relevée dans les données",
            "no cause found in the data",
        ),
        K::Publication => (
            "Indicateurs à publier (article L2111-3 du code de la commande publique)",
            "Indicators to publish (article L2111-3 of the public procurement code)",
        ),
        K::PublicationNote => (
            "Taux réels d'achats socialement et écologiquement responsables, en nombre de contrats et en valeur, sur les contrats notifiés dans l'année et publiés dans les DECP (marchés de 40 000 € HT ou plus). Un contrat dont les considérations ne sont pas renseignées compte comme sans considération.",
            "Actual rates of socially and ecologically responsible purchases, by number of contracts and by value, over the contracts notified in the year and published in the DECP (contracts of €40,000 excluding VAT or more). A contract whose considerations are not published counts as without one.",
        ),
        K::Indicator => ("Indicateur", "Indicator"),
        K::Year => ("Année", "Year"),
        K::Contracts => ("Contrats", "Contracts"),
        K::WithConsideration => ("dont avec", "with"),
        K::ShareCount => ("Part en nombre", "Share by count"),
        K::AmountHt => ("Montant HT", "Amount excl. VAT"),
        K::ValueWith => ("dont avec", "of which with"),
        K::ShareValue => ("Part en valeur", "Share by value"),
        K::Unknown => ("Non renseignées", "Not published"),
        K::Services => ("Par service prescripteur", "By prescribing service"),
        K::ServicesNote => (
            "Les DECP ne connaissent pas le service prescripteur : il vient de la ligne de programmation à laquelle le contrat est rattaché.",
            "The DECP have no prescribing service: it comes from the programme line the contract is linked to.",
        ),
        K::Service => ("Service", "Service"),
        K::SocialCount => ("Part sociale (nombre)", "Social share (count)"),
        K::EnvironmentalCount => (
            "Part environnementale (nombre)",
            "Environmental share (count)",
        ),
        K::NotLinked => ("(contrats non rattachés)", "(contracts not linked)"),
        K::Outcomes => (
            "Prévu et réalisé par achat",
            "Planned and actual per purchase",
        ),
        K::Line => ("Ligne", "Line"),
        K::Object => ("Objet", "Object"),
        K::Estimate => ("Estimation HT", "Estimate excl. VAT"),
        K::Awarded => ("Attribué HT", "Awarded excl. VAT"),
        K::Difference => ("Écart", "Difference"),
        K::Expected => ("Notification prévue", "Expected notification"),
        K::Notified => ("Notifié le", "Notified"),
        K::Delay => ("Retard en jours (− : avance)", "Delay in days (−: early)"),
        K::Contract => ("Contrat", "Contract"),
        K::Maximum => ("maximum de l'accord-cadre", "framework maximum"),
        K::Procedure => ("Procédure requise / utilisée", "Procedure required / used"),
        K::NotPublished => (
            "Considérations prévues non publiées",
            "Planned considerations not published",
        ),
        K::SharedNote => (
            "Lignes regroupées dans un même contrat : le montant attribué est réparti au prorata des estimations (marqué *).",
            "Lines grouped into one contract: the awarded amount is shared in proportion to the estimates (marked *).",
        ),
        K::Unplanned => ("Achats hors programmation", "Unplanned purchases"),
        K::Considerations => ("Considérations", "Considerations"),
        K::None => ("aucune", "none"),
        K::Unlinked => (
            "Lignes de l'année sans contrat",
            "Lines of the year without a contract",
        ),
        K::State => ("Situation", "State"),
        K::ExpectedBy => ("Attendue au plus tard", "Expected by"),
        K::DaysLate => ("Retard (jours)", "Days late"),
        K::Method => ("Méthode", "Method"),
        K::MethodLink => (
            "Chaque ligne de la programmation est rapprochée des contrats de l'acheteur (même SIRET, ou autre établissement du même SIREN) par un score : code CPV (même classe, groupe ou division), nature, similarité de l'objet (accents, casse et mots vides neutralisés), date de notification dans la fenêtre attendue, montant proche de l'estimation ou maximum d'un accord-cadre. Un lien indiqué dans la programmation l'emporte. Une ligne peut devenir plusieurs lots, plusieurs lignes un seul contrat. Seuil : {a}. Chaque lien, son score et ses raisons figurent dans la version JSON.",
            "Each line of the programme is matched with the buyer's contracts (same SIRET, or another establishment of the same SIREN) by a score: CPV code (same class, group or division), nature, object similarity (accents, case and stop words neutralised), notification date within the expected window, amount close to the estimate or a framework agreement's maximum. A link recorded in the programme wins. A line may become several lots, several lines one contract. Threshold: {a}. Every link, its score and its reasons are in the JSON version.",
        ),
        K::MethodCount => (
            "La projection compte les lignes lancées dans l'année avec leurs leviers prévus ; le réalisé compte les contrats notifiés dans l'année avec leurs considérations publiées. Pour un objectif limité à certains leviers (EGalim, AGEC), les DECP ne disent pas l'objectif poursuivi : un contrat compte les leviers prévus sur ses lignes lorsqu'il publie une considération de la même dimension.",
            "The projection counts the lines launched in the year with their planned levers; the realised figure counts the contracts notified in the year with their published considerations. For a target limited to some levers (EGalim, AGEC), the DECP do not say the goal pursued: a contract counts the levers planned on its lines when it publishes a consideration of the same dimension.",
        ),
        K::MethodProcedure => (
            "La procédure requise est celle qu'impose l'estimation de la programmation (valeur de la famille homogène ou de l'opération, seuils en vigueur au lancement) ; une procédure plus légère est à vérifier (valeur attribuée inférieure, petit lot, services sociaux et spécifiques).",
            "The procedure required is the one the programme's estimation imposes (value of the homogeneous family or works operation, thresholds in force at launch); a lighter procedure is to check (lower awarded value, small lot, social and specific services).",
        ),
        K::ChartTitle => (
            "Objectifs : cible, projection et réalisé",
            "Targets: goal, projection and realised",
        ),
        K::Social => ("considération sociale", "social consideration"),
        K::Environmental => (
            "considération environnementale",
            "environmental consideration",
        ),
        K::Reserved => ("marché réservé", "reserved contract"),
        K::Innovative => ("achat innovant", "innovative purchase"),
        K::Nothing => ("néant", "none"),
    };
    lang.pick(fr, en)
}

fn fill(s: &str, args: &[(&str, &str)]) -> String {
    let mut out = s.to_string();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// Groups the digits of an integer part by three with `sep`.
fn group(int: &str, sep: char) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3 * 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// `1 234,50 €` (fr) or `€1,234.50` (en); two decimals, half to even.
pub(crate) fn money(lang: Lang, d: Decimal) -> String {
    let d = d.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
    let neg = d.is_sign_negative() && !d.is_zero();
    let text = format!("{:.2}", d.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let sign = if neg { "−" } else { "" };
    match lang {
        Lang::Fr => format!("{sign}{},{frac}{NBSP}€", group(int, NNBSP)),
        _ => format!("{sign}€{}.{frac}", group(int, ',')),
    }
}

/// A share as a percentage with one decimal, half to even: `42,3 %` or `42.3%`.
pub(crate) fn percent(lang: Lang, s: Option<Share>) -> String {
    match s {
        None => "–".to_string(),
        Some(s) => signed_points(lang, s.as_decimal(), false),
    }
}

/// A difference of shares in points with a sign: `+4,2 pts` / `−3.0 pts` (or a plain
/// percentage when `points` is false).
fn signed_points(lang: Lang, d: Decimal, points: bool) -> String {
    let p =
        (d * Decimal::ONE_HUNDRED).round_dp_with_strategy(1, RoundingStrategy::MidpointNearestEven);
    let mut text = format!("{:.1}", p.abs());
    if lang == Lang::Fr {
        text = text.replace('.', ",");
    }
    let sign = if points {
        if p.is_sign_negative() && !p.is_zero() {
            "−"
        } else {
            "+"
        }
    } else if p.is_sign_negative() && !p.is_zero() {
        "−"
    } else {
        ""
    };
    match (lang, points) {
        (Lang::Fr, true) => format!("{sign}{text}{NBSP}pts"),
        (_, true) => format!("{sign}{text} pts"),
        (Lang::Fr, false) => format!("{sign}{text}{NBSP}%"),
        (_, false) => format!("{sign}{text}%"),
    }
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `3 décembre 2026` / `3 December 2026` (`1er` for the first day in French).
pub(crate) fn date(lang: Lang, d: NaiveDate) -> String {
    let m = d.month0() as usize;
    match lang {
        Lang::Fr if d.day() == 1 => format!("1er {} {}", MONTHS_FR[m], d.year()),
        Lang::Fr => format!("{} {} {}", d.day(), MONTHS_FR[m], d.year()),
        _ => format!("{} {} {}", d.day(), MONTHS_EN[m], d.year()),
    }
}

/// A short date for tables: `02/03/2026` (fr) or `2026-03-02` (en).
fn short_date(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Fr => d.format("%d/%m/%Y").to_string(),
        _ => d.format("%Y-%m-%d").to_string(),
    }
}

/// `n` followed by the singular or plural noun (French: 0 and 1 take the singular).
fn count_of(lang: Lang, n: u64, fr: (&str, &str), en: (&str, &str)) -> String {
    let (one, many) = if lang == Lang::Fr { fr } else { en };
    let singular = if lang == Lang::Fr { n <= 1 } else { n == 1 };
    format!("{} {}", integer(lang, n), if singular { one } else { many })
}

/// A signed integer with a true minus sign in French.
fn signed(lang: Lang, n: i64) -> String {
    if lang == Lang::Fr && n < 0 {
        format!("−{}", n.unsigned_abs())
    } else {
        n.to_string()
    }
}

fn integer(lang: Lang, n: u64) -> String {
    group(&n.to_string(), if lang == Lang::Fr { NNBSP } else { ',' })
}

fn basis(lang: Lang, b: Basis) -> &'static str {
    match b {
        Basis::Count => t(lang, K::Count),
        Basis::Value => t(lang, K::Value),
    }
}

fn indicator_name(lang: Lang, id: &str) -> String {
    match id {
        "social" => t(lang, K::Social).to_string(),
        "environmental" => t(lang, K::Environmental).to_string(),
        "reserved" => t(lang, K::Reserved).to_string(),
        "innovative" => t(lang, K::Innovative).to_string(),
        other => other.to_string(),
    }
}

fn procedure(lang: Lang, p: Procedure) -> &'static str {
    match (lang, p) {
        (Lang::Fr, p) => p.label_fr(),
        (_, Procedure::NoCompetition) => "no competition",
        (_, Procedure::Adapted) => "adapted procedure",
        _ => "formal procedure",
    }
}

fn procedure_check(lang: Lang, c: ProcedureCheck) -> &'static str {
    match (lang, c) {
        (Lang::Fr, ProcedureCheck::AsRequired) => "conforme",
        (Lang::Fr, ProcedureCheck::Heavier) => "plus exigeante",
        (Lang::Fr, ProcedureCheck::Lighter) => "plus légère : à vérifier",
        (Lang::Fr, _) => "inconnue",
        (_, ProcedureCheck::AsRequired) => "as required",
        (_, ProcedureCheck::Heavier) => "heavier",
        (_, ProcedureCheck::Lighter) => "lighter: to check",
        _ => "unknown",
    }
}

fn publication(lang: Lang, p: Publication) -> &'static str {
    match (lang, p) {
        (Lang::Fr, Publication::NotPublished) => "non publiée",
        (Lang::Fr, Publication::Partly) => "publiée dans une partie des lots",
        (Lang::Fr, Publication::Unknown) => "non renseignée",
        (Lang::Fr, _) => "publiée",
        (_, Publication::NotPublished) => "not published",
        (_, Publication::Partly) => "published in some lots",
        (_, Publication::Unknown) => "not given",
        _ => "published",
    }
}

fn state(lang: Lang, s: Unlinked) -> &'static str {
    match (lang, s) {
        (Lang::Fr, Unlinked::LateOrAbandoned) => "en retard ou abandonnée",
        (Lang::Fr, Unlinked::Pending) => "en attente",
        (Lang::Fr, Unlinked::Cancelled) => "annulée",
        (Lang::Fr, Unlinked::CentralPurchasing) => "achat par une centrale d'achat",
        (Lang::Fr, _) => "sous le seuil de publication des DECP",
        (_, Unlinked::LateOrAbandoned) => "late or abandoned",
        (_, Unlinked::Pending) => "pending",
        (_, Unlinked::Cancelled) => "cancelled",
        (_, Unlinked::CentralPurchasing) => "bought through a central purchasing body",
        _ => "below the DECP publication threshold",
    }
}

fn lever_name(lang: Lang, id: &str, catalogue: &crate::levers::lever::Catalogue) -> String {
    match catalogue.get(id) {
        Some(l) if lang == Lang::Fr => l.label_fr.clone(),
        Some(l) => l.label_en.clone(),
        None => id.to_string(),
    }
}

fn dimension(lang: Lang, d: crate::vocabulary::dimension::Dimension) -> &'static str {
    match lang {
        Lang::Fr => d.label_fr(),
        _ => d.label_en(),
    }
}

fn amount(lang: Lang, a: Option<Amount>) -> String {
    a.map_or_else(|| "–".to_string(), |a| money(lang, a.as_decimal()))
}

/// A table as rows of cells, rendered to Markdown or HTML.
struct Table {
    head: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Columns aligned right (numbers).
    right: Vec<usize>,
}

impl Table {
    fn markdown(&self, out: &mut String) {
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let _ = writeln!(
            out,
            "| {} |",
            self.head
                .iter()
                .map(|h| cell(h))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        let seps: Vec<&str> = (0..self.head.len())
            .map(|i| {
                if self.right.contains(&i) {
                    "---:"
                } else {
                    "---"
                }
            })
            .collect();
        let _ = writeln!(out, "|{}|", seps.join("|"));
        for r in &self.rows {
            let _ = writeln!(
                out,
                "| {} |",
                r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
            );
        }
        out.push('\n');
    }

    fn html(&self, out: &mut String) {
        out.push_str("<table>\n<thead><tr>");
        for h in &self.head {
            let _ = write!(out, "<th scope=\"col\">{}</th>", esc(h));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for r in &self.rows {
            out.push_str("<tr>");
            for (i, c) in r.iter().enumerate() {
                if self.right.contains(&i) {
                    let _ = write!(out, "<td class=\"n\">{}</td>", esc(c));
                } else {
                    let _ = write!(out, "<td>{}</td>", esc(c));
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            c => o.push(c),
        }
    }
    o
}

/// The blocks of the review, in order: headings, paragraphs, lists and tables.
enum Block {
    H1(String),
    H2(String),
    H3(String),
    P(String),
    List(Vec<String>),
    Table(Table),
    Chart,
}

fn measure_share(m: &Measure, b: Basis) -> Option<Share> {
    m.share(b)
}

fn target_rows(lang: Lang, r: &Review) -> Table {
    let rows = r
        .targets
        .iter()
        .map(|x: &TargetReview| {
            vec![
                x.label.clone(),
                basis(lang, x.basis).to_string(),
                percent(lang, Some(x.goal)),
                percent(lang, measure_share(&x.projected, x.basis)),
                percent(lang, measure_share(&x.realised, x.basis)),
                x.gap
                    .map_or_else(|| "–".to_string(), |g| signed_points(lang, g, true)),
                match x.met {
                    Some(true) => t(lang, K::Yes).to_string(),
                    Some(false) => t(lang, K::No).to_string(),
                    None => t(lang, K::NoScope).to_string(),
                },
            ]
        })
        .collect();
    Table {
        head: [
            K::Target,
            K::Basis,
            K::Goal,
            K::Projected,
            K::Realised,
            K::Gap,
            K::Met,
        ]
        .iter()
        .map(|k| t(lang, *k).to_string())
        .collect(),
        rows,
        right: vec![2, 3, 4, 5],
    }
}

fn blocks(r: &Review, lang: Lang, catalogue: &crate::levers::lever::Catalogue) -> Vec<Block> {
    let mut b = Vec::new();
    b.push(Block::H1(format!("{} {}", t(lang, K::Title), r.year)));
    let mut who = format!("**{}**", r.buyer);
    if let Some(s) = &r.siret {
        let _ = write!(who, " (SIRET {s})");
    }
    if let Some(d) = r.as_of {
        let _ = write!(who, " — {} {}", t(lang, K::DataAsOf), date(lang, d));
    }
    b.push(Block::P(who));

    // 1. summary
    b.push(Block::H2(format!("1. {}", t(lang, K::Summary))));
    let linked = r.data.in_year.saturating_sub(r.unplanned.len());
    let count = |s: Unlinked| r.unlinked.iter().filter(|u| u.state == s).count();
    let awarded_lines = r.outcomes.len();
    let met = r.targets.iter().filter(|x| x.met == Some(true)).count();
    let no_publication = (count(Unlinked::BelowPublicationThreshold)
        + count(Unlinked::CentralPurchasing)
        + count(Unlinked::Cancelled)) as u64;
    let (awarded_fr, late_fr, pending_fr) = (
        ("attribuée", "attribuées"),
        ("en retard ou abandonnée", "en retard ou abandonnées"),
        ("en attente", "en attente"),
    );
    let items = vec![
        format!(
            "{} {}",
            count_of(
                lang,
                r.data.in_year as u64,
                (
                    "contrat notifié dans l'année",
                    "contrats notifiés dans l'année"
                ),
                (
                    "contract notified in the year",
                    "contracts notified in the year"
                )
            ),
            fill(
                t(lang, K::SumContracts),
                &[
                    ("a", &integer(lang, linked as u64)),
                    ("b", &integer(lang, r.unplanned.len() as u64))
                ]
            )
        ),
        format!(
            "{}{}",
            count_of(
                lang,
                r.data.lines_in_year as u64,
                (
                    "ligne de la programmation lancée dans l'année",
                    "lignes de la programmation lancées dans l'année"
                ),
                (
                    "line of the programme launched in the year",
                    "lines of the programme launched in the year"
                )
            ),
            match lang {
                Lang::Fr => format!(
                    "\u{a0}: {}, {}, {}, {} sans publication attendue (annulée, centrale d'achat ou sous le seuil de publication)",
                    count_of(lang, awarded_lines as u64, awarded_fr, awarded_fr),
                    count_of(
                        lang,
                        count(Unlinked::LateOrAbandoned) as u64,
                        late_fr,
                        late_fr
                    ),
                    count_of(
                        lang,
                        count(Unlinked::Pending) as u64,
                        pending_fr,
                        pending_fr
                    ),
                    integer(lang, no_publication),
                ),
                _ => format!(
                    ": {} awarded, {} late or abandoned, {} pending, {} with no publication to expect (cancelled, central purchasing body or below the publication threshold)",
                    integer(lang, awarded_lines as u64),
                    integer(lang, count(Unlinked::LateOrAbandoned) as u64),
                    integer(lang, count(Unlinked::Pending) as u64),
                    integer(lang, no_publication),
                ),
            }
        ),
        format!(
            "{} {} {}",
            integer(lang, met as u64),
            t(lang, K::SumTargets),
            integer(lang, r.targets.len() as u64)
        ),
    ];
    b.push(Block::List(items));

    // 2. targets
    b.push(Block::H2(format!("2. {}", t(lang, K::Targets))));
    b.push(Block::Table(target_rows(lang, r)));
    b.push(Block::Chart);
    for x in &r.targets {
        if x.met != Some(false) {
            continue;
        }
        b.push(Block::H3(format!("{} — {}", t(lang, K::CausesOf), x.label)));
        let mut items = Vec::new();
        for c in &x.causes {
            items.push(match c {
                Cause::UnplannedPurchases {
                    contracts,
                    counting,
                    value,
                    keys,
                } => format!(
                    "{} ({})",
                    fill(
                        t(lang, K::CauseUnplanned),
                        &[
                            (
                                "a",
                                &count_of(
                                    lang,
                                    *contracts,
                                    ("contrat", "contrats"),
                                    ("contract", "contracts")
                                )
                            ),
                            ("b", &money(lang, *value)),
                            ("c", &integer(lang, *counting)),
                        ]
                    ),
                    keys.join(", ")
                ),
                Cause::LeversNotPublished { lines } => {
                    fill(t(lang, K::CauseNotPublished), &[("a", &lines.join(", "))])
                }
                Cause::LinesLate { lines } => {
                    fill(t(lang, K::CauseLate), &[("a", &lines.join(", "))])
                }
                Cause::LinesPending { lines } => {
                    fill(t(lang, K::CausePending), &[("a", &lines.join(", "))])
                }
            });
        }
        if items.is_empty() {
            items.push(t(lang, K::NoCause).to_string());
        }
        b.push(Block::List(items));
    }

    // 3. publication
    b.push(Block::H2(format!("3. {}", t(lang, K::Publication))));
    b.push(Block::P(t(lang, K::PublicationNote).to_string()));
    b.push(Block::Table(Table {
        head: [
            K::Indicator,
            K::Year,
            K::Contracts,
            K::WithConsideration,
            K::ShareCount,
            K::AmountHt,
            K::ValueWith,
            K::ShareValue,
            K::Unknown,
        ]
        .iter()
        .map(|k| t(lang, *k).to_string())
        .collect(),
        rows: r
            .publication
            .iter()
            .map(|p| {
                let m = &p.measure;
                vec![
                    indicator_name(lang, &p.indicator),
                    p.year.to_string(),
                    integer(lang, m.purchases),
                    integer(lang, m.count),
                    percent(lang, m.count_share()),
                    money(lang, m.value),
                    money(lang, m.covered_value),
                    percent(lang, m.value_share()),
                    integer(lang, m.unknown),
                ]
            })
            .collect(),
        right: vec![2, 3, 4, 5, 6, 7, 8],
    }));

    // 4. services
    b.push(Block::H2(format!("4. {}", t(lang, K::Services))));
    b.push(Block::P(t(lang, K::ServicesNote).to_string()));
    b.push(Block::Table(Table {
        head: [
            K::Service,
            K::Contracts,
            K::AmountHt,
            K::SocialCount,
            K::EnvironmentalCount,
        ]
        .iter()
        .map(|k| t(lang, *k).to_string())
        .collect(),
        rows: r
            .services
            .iter()
            .map(|s| {
                vec![
                    if s.service.is_empty() {
                        t(lang, K::NotLinked).to_string()
                    } else {
                        s.service.clone()
                    },
                    integer(lang, s.social.purchases),
                    money(lang, s.social.value),
                    percent(lang, s.social.count_share()),
                    percent(lang, s.environmental.count_share()),
                ]
            })
            .collect(),
        right: vec![1, 2, 3, 4],
    }));

    // 5. planned and actual
    b.push(Block::H2(format!("5. {}", t(lang, K::Outcomes))));
    if r.outcomes.iter().any(|o| o.shared) {
        b.push(Block::P(t(lang, K::SharedNote).to_string()));
    }
    b.push(Block::Table(Table {
        head: [
            K::Line,
            K::Object,
            K::Service,
            K::Estimate,
            K::Awarded,
            K::Difference,
            K::Expected,
            K::Notified,
            K::Delay,
            K::Procedure,
            K::NotPublished,
        ]
        .iter()
        .map(|k| t(lang, *k).to_string())
        .collect(),
        rows: r
            .outcomes
            .iter()
            .map(|o| {
                let missing: Vec<String> = o
                    .considerations
                    .iter()
                    .filter(|c| {
                        matches!(
                            c.publication,
                            Publication::NotPublished | Publication::Partly | Publication::Unknown
                        )
                    })
                    .map(|c| {
                        let what = match &c.lever {
                            Some(l) => lever_name(lang, l, catalogue),
                            None => match c.dimension {
                                crate::vocabulary::dimension::Dimension::Social => {
                                    t(lang, K::Social).to_string()
                                }
                                crate::vocabulary::dimension::Dimension::Environmental => {
                                    t(lang, K::Environmental).to_string()
                                }
                                d => dimension(lang, d).to_string(),
                            },
                        };
                        format!("{what} ({})", publication(lang, c.publication))
                    })
                    .collect();
                let diff = o.difference.filter(|_| !o.framework).map_or_else(
                    || "–".to_string(),
                    |d| {
                        let s = money(lang, d);
                        if d > Decimal::ZERO {
                            format!("+{s}")
                        } else {
                            s
                        }
                    },
                );
                vec![
                    o.line.clone(),
                    o.label.clone(),
                    o.service.clone().unwrap_or_default(),
                    money(lang, o.estimate.as_decimal()),
                    format!(
                        "{}{}{}",
                        amount(lang, o.awarded),
                        if o.shared { " *" } else { "" },
                        if o.framework {
                            format!(" ({})", t(lang, K::Maximum))
                        } else {
                            String::new()
                        }
                    ),
                    diff,
                    short_date(lang, o.expected_notification),
                    o.notified
                        .map_or_else(|| "–".to_string(), |d| short_date(lang, d)),
                    o.delay_days
                        .map_or_else(|| "–".to_string(), |d| signed(lang, d)),
                    format!(
                        "{} / {} ({})",
                        procedure(lang, o.procedure_required),
                        if o.procedure_used.is_empty() {
                            "–".to_string()
                        } else {
                            o.procedure_used.join(", ")
                        },
                        procedure_check(lang, o.procedure_check)
                    ),
                    if missing.is_empty() {
                        t(lang, K::Nothing).to_string()
                    } else {
                        missing.join(" ; ")
                    },
                ]
            })
            .collect(),
        right: vec![3, 4, 5, 8],
    }));

    // 6. unplanned
    b.push(Block::H2(format!("6. {}", t(lang, K::Unplanned))));
    if r.unplanned.is_empty() {
        b.push(Block::P(t(lang, K::Nothing).to_string()));
    } else {
        b.push(Block::Table(Table {
            head: [
                K::Contract,
                K::Object,
                K::AmountHt,
                K::Notified,
                K::Considerations,
            ]
            .iter()
            .map(|k| t(lang, *k).to_string())
            .collect(),
            rows: r
                .unplanned
                .iter()
                .map(|u| {
                    let mut cons = Vec::new();
                    if u.social {
                        cons.push(t(lang, K::Social));
                    }
                    if u.environmental {
                        cons.push(t(lang, K::Environmental));
                    }
                    vec![
                        u.key.clone(),
                        u.object.clone(),
                        amount(lang, u.amount),
                        u.notified
                            .map_or_else(|| "–".to_string(), |d| short_date(lang, d)),
                        if cons.is_empty() {
                            t(lang, K::None).to_string()
                        } else {
                            cons.join(", ")
                        },
                    ]
                })
                .collect(),
            right: vec![2],
        }));
    }

    // 7. lines without a contract
    b.push(Block::H2(format!("7. {}", t(lang, K::Unlinked))));
    if r.unlinked.is_empty() {
        b.push(Block::P(t(lang, K::Nothing).to_string()));
    } else {
        b.push(Block::Table(Table {
            head: [
                K::Line,
                K::Object,
                K::Service,
                K::Estimate,
                K::State,
                K::ExpectedBy,
                K::DaysLate,
            ]
            .iter()
            .map(|k| t(lang, *k).to_string())
            .collect(),
            rows: r
                .unlinked
                .iter()
                .map(|u| {
                    vec![
                        u.line.clone(),
                        u.label.clone(),
                        u.service.clone().unwrap_or_default(),
                        money(lang, u.estimate.as_decimal()),
                        state(lang, u.state).to_string(),
                        if matches!(u.state, Unlinked::LateOrAbandoned | Unlinked::Pending) {
                            short_date(lang, u.expected_by)
                        } else {
                            "–".to_string()
                        },
                        if u.state == Unlinked::LateOrAbandoned {
                            u.days_late.to_string()
                        } else {
                            "–".to_string()
                        },
                    ]
                })
                .collect(),
            right: vec![3, 6],
        }));
    }

    // 8. method
    b.push(Block::H2(format!("8. {}", t(lang, K::Method))));
    let threshold = {
        let mut s = r.linking.threshold.as_decimal().normalize().to_string();
        if lang == Lang::Fr {
            s = s.replace('.', ",");
        }
        s
    };
    b.push(Block::List(vec![
        fill(t(lang, K::MethodLink), &[("a", &threshold)]),
        t(lang, K::MethodCount).to_string(),
        t(lang, K::MethodProcedure).to_string(),
    ]));
    b
}

/// The bar chart of the targets: goal, projection and realised share per target, as SVG
/// (deterministic, no font or script dependency).
pub(crate) fn chart(r: &Review, lang: Lang) -> String {
    let n = r.targets.len();
    let row = 54;
    let top = 40;
    let left = 260;
    let width = 720;
    let bar_w = Decimal::from(400);
    let height = top + n * row + 40;
    let mut s = String::new();
    let title = t(lang, K::ChartTitle);
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"chart-title\">"
    );
    let _ = writeln!(s, "<title id=\"chart-title\">{}</title>", esc(title));
    let _ = writeln!(
        s,
        "<style>text{{font-family:sans-serif;font-size:12px}}.g{{fill:#b0b0b0}}.p{{fill:#6a8fc7}}.r{{fill:#2e7d32}}.m{{stroke:#c62828;stroke-width:2}}</style>"
    );
    let legend = [
        ("g", t(lang, K::Goal)),
        ("p", t(lang, K::Projected)),
        ("r", t(lang, K::Realised)),
    ];
    for (i, (class, label)) in legend.iter().enumerate() {
        let x = left + i * 150;
        let _ = writeln!(
            s,
            "<rect class=\"{class}\" x=\"{x}\" y=\"10\" width=\"12\" height=\"12\"/><text x=\"{}\" y=\"20\">{}</text>",
            x + 16,
            esc(label)
        );
    }
    // widths in exact decimals rounded to a tenth of a pixel: the same bytes everywhere
    let scale = |sh: Option<Share>| -> Decimal {
        sh.map_or(Decimal::ZERO, |v| {
            (v.as_decimal() * bar_w)
                .round_dp_with_strategy(1, RoundingStrategy::MidpointNearestEven)
                .normalize()
        })
    };
    for (i, x) in r.targets.iter().enumerate() {
        let y = top + i * row;
        let mut label = x.label.clone();
        if label.chars().count() > 38 {
            label = label.chars().take(37).collect::<String>() + "…";
        }
        let _ = writeln!(s, "<text x=\"8\" y=\"{}\">{}</text>", y + 26, esc(&label));
        for (k, (class, share)) in [
            ("g", Some(x.goal)),
            ("p", x.projected_share()),
            ("r", x.realised_share()),
        ]
        .iter()
        .enumerate()
        {
            let by = y + 6 + k * 14;
            let w = scale(*share);
            let _ = writeln!(
                s,
                "<rect class=\"{class}\" x=\"{left}\" y=\"{by}\" width=\"{w}\" height=\"12\"/><text x=\"{}\" y=\"{}\">{}</text>",
                (Decimal::from(left + 4) + w).normalize(),
                by + 10,
                esc(&percent(lang, *share))
            );
        }
    }
    let _ = writeln!(
        s,
        "<line class=\"m\" x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{}\"/>",
        top + n * row
    );
    s.push_str("</svg>\n");
    s
}

/// The review in Markdown.
pub(crate) fn markdown(
    r: &Review,
    lang: Lang,
    catalogue: &crate::levers::lever::Catalogue,
) -> String {
    let mut out = String::new();
    for b in blocks(r, lang, catalogue) {
        match b {
            Block::H1(h) => {
                let _ = writeln!(out, "# {h}\n");
            }
            Block::H2(h) => {
                let _ = writeln!(out, "## {h}\n");
            }
            Block::H3(h) => {
                let _ = writeln!(out, "### {h}\n");
            }
            Block::P(p) => {
                let _ = writeln!(out, "{p}\n");
            }
            Block::List(items) => {
                for i in items {
                    let _ = writeln!(out, "- {i}");
                }
                out.push('\n');
            }
            Block::Table(tb) => tb.markdown(&mut out),
            Block::Chart => {}
        }
    }
    out
}

/// Inline `**bold**` of a paragraph to HTML (the only Markdown the blocks use).
fn inline_html(p: &str) -> String {
    let e = esc(p);
    let mut out = String::new();
    let mut open = false;
    for (i, part) in e.split("**").enumerate() {
        if i > 0 {
            out.push_str(if open { "</strong>" } else { "<strong>" });
            open = !open;
        }
        out.push_str(part);
    }
    if open {
        out.push_str("</strong>");
    }
    out
}

/// The review as one self-contained HTML page (inline CSS and SVG, no script).
pub(crate) fn html(r: &Review, lang: Lang, catalogue: &crate::levers::lever::Catalogue) -> String {
    let code = if lang == Lang::Fr { "fr" } else { "en" };
    let title = format!("{} {} — {}", t(lang, K::Title), r.year, r.buyer);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>",
        esc(&title)
    );
    out.push_str("<style>\n@page{size:A4;margin:18mm}\nbody{font-family:sans-serif;font-size:10.5pt;line-height:1.4;color:#1a1a1a;max-width:1100px;margin:auto;padding:1em}\nh1{font-size:1.7em}h2{font-size:1.3em;margin-top:1.6em;border-bottom:1px solid #ccc;break-after:avoid}h3{font-size:1.05em}\ntable{border-collapse:collapse;width:100%;margin:.6em 0 1.2em;font-size:.9em}\nthead{display:table-header-group}\nth,td{border:1px solid #bbb;padding:3px 5px;vertical-align:top;text-align:left}\nth{background:#eef1f5}\ntd.n{text-align:right;white-space:nowrap}\ntr{break-inside:avoid}\nfigure{margin:1em 0}\n</style>\n</head>\n<body>\n");
    for b in blocks(r, lang, catalogue) {
        match b {
            Block::H1(h) => {
                let _ = writeln!(out, "<h1>{}</h1>", esc(&h));
            }
            Block::H2(h) => {
                let _ = writeln!(out, "<h2>{}</h2>", esc(&h));
            }
            Block::H3(h) => {
                let _ = writeln!(out, "<h3>{}</h3>", esc(&h));
            }
            Block::P(p) => {
                let _ = writeln!(out, "<p>{}</p>", inline_html(&p));
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for i in items {
                    let _ = writeln!(out, "<li>{}</li>", inline_html(&i));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(tb) => tb.html(&mut out),
            Block::Chart => {
                out.push_str("<figure>\n");
                out.push_str(&chart(r, lang));
                out.push_str("</figure>\n");
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

impl Review {
    /// The review in Markdown (French by default; deterministic).
    pub fn to_markdown(&self, lang: Lang) -> String {
        markdown(self, lang, crate::levers::lever::Catalogue::embedded())
    }

    /// The review as one self-contained HTML page with its chart (inline CSS and SVG, no
    /// script, no external resource; deterministic).
    pub fn to_html(&self, lang: Lang) -> String {
        html(self, lang, crate::levers::lever::Catalogue::embedded())
    }

    /// The targets chart alone, as SVG.
    pub fn chart_svg(&self, lang: Lang) -> String {
        chart(self, lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_numbers_dates_and_percentages() {
        let d: Decimal = "1234567.5".parse().unwrap();
        assert_eq!(money(Lang::Fr, d), "1\u{202f}234\u{202f}567,50\u{a0}€");
        assert_eq!(money(Lang::En, d), "€1,234,567.50");
        assert_eq!(
            money(Lang::Fr, "-2200".parse().unwrap()),
            "−2\u{202f}200,00\u{a0}€"
        );
        let s: Share = "0.4235".parse().unwrap();
        assert_eq!(percent(Lang::Fr, Some(s)), "42,4\u{a0}%");
        assert_eq!(percent(Lang::En, Some(s)), "42.4%");
        assert_eq!(
            signed_points(Lang::Fr, "-0.05".parse().unwrap(), true),
            "−5,0\u{a0}pts"
        );
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(date(Lang::Fr, d), "1er décembre 2026");
        assert_eq!(date(Lang::En, d), "1 December 2026");
    }
}
