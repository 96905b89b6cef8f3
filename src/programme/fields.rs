//! The values of a programme's cells as buyers write them: amounts, dates (also months and
//! quarters, Excel serials), durations (`36`, `4 ans`, `12+36`, `1 an reconductible 3 fois`),
//! flags, natures, statuses, no-competition cases, award criteria, social exemptions,
//! départements and lists. Every error quotes at most 80 characters of the cell.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::{Error, ErrorKind, Result};
use crate::law::context::{AwardCriterion, CriterionKind, NoCompetitionCase, SocialExemptionCase};
use crate::programme::columns::words;
use crate::programme::model::LineStatus;
use crate::programme::sheet::{Cell, excel_serial_date};
use crate::util::text::excerpt;
use crate::values::cpv::CpvCode;
use crate::values::date::{check_plausible_date, parse_date};
use crate::values::money::{Amount, NumberConvention, parse_decimal_with};
use crate::values::nature::Nature;
use crate::values::place::Departement;
use crate::values::share::Share;
use crate::vocabulary::dimension::Dimension;

/// Rewrites an error of another module so that it quotes at most 80 characters of `raw`.
pub(crate) fn short(e: Error, raw: &str) -> Error {
    let t = raw.trim();
    if t.chars().count() <= crate::util::text::MAX_QUOTED {
        return e;
    }
    let msg = e.to_string().replace(t, &excerpt(t));
    let msg = if msg.len() > 4 * crate::util::text::MAX_QUOTED + 200 {
        // The message quoted the cell in another form: keep its beginning only.
        format!("{}", excerpt(&msg))
    } else {
        msg
    };
    Error::new(e.kind(), msg)
}

fn invalid(msg: String) -> Error {
    Error::new(ErrorKind::InvalidValue, msg)
}

fn parse_err(msg: String) -> Error {
    Error::new(ErrorKind::Parse, msg)
}

/// Text of a cell, `None` when blank.
pub(crate) fn opt_text(cell: &Cell) -> Option<String> {
    let t = cell.text();
    (!t.is_empty()).then(|| t.into_owned())
}

/// An amount: a number cell as it is; a text with the file's `convention` for the texts that
/// read two ways.
pub(crate) fn amount(cell: &Cell, convention: Option<NumberConvention>) -> Result<Amount> {
    match cell {
        Cell::Number(d) => Amount::new(*d),
        Cell::Text(t) => Amount::parse_with(t, convention),
        other => Err(parse_err(format!(
            "amount \"{}\" is not a number",
            excerpt(&other.text())
        ))),
    }
}

/// Whether a date was given as a month or a quarter (read as its first day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DatePrecision {
    Day,
    Period,
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
];
const MONTHS_EN: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A date: a date cell; an Excel serial number (a number cell of a date column); a text as
/// [`parse_date`] reads it, or a month (`05/2026`, `2026-05`, `mai 2026`) or a quarter (`T2
/// 2026`, `2026-T2`, `Q2 2026`) read as its first day. Plausible (1990–2100) in every case.
pub(crate) fn date(cell: &Cell) -> Result<(NaiveDate, DatePrecision)> {
    match cell {
        Cell::Date(d) => Ok((
            check_plausible_date(*d, &d.to_string())?,
            DatePrecision::Day,
        )),
        Cell::Number(n) => {
            let f: f64 = n.to_string().parse().unwrap_or(f64::NAN);
            let d = excel_serial_date(f, false).ok_or_else(|| {
                parse_err(format!(
                    "date \"{n}\" is not a date (a number here is read as an Excel date serial)"
                ))
            })?;
            Ok((
                check_plausible_date(d, &format!("{n} (Excel serial of {d})"))?,
                DatePrecision::Day,
            ))
        }
        Cell::Text(t) => {
            if let Some(d) = iso_date(t) {
                return Ok((check_plausible_date(d, t)?, DatePrecision::Day));
            }
            match parse_date(t) {
                Ok(d) => Ok((d, DatePrecision::Day)),
                Err(e) if e.kind() == ErrorKind::InvalidValue => Err(e),
                Err(e) => match period_date(t) {
                    Some(d) => Ok((check_plausible_date(d, t)?, DatePrecision::Period)),
                    None => Err(e),
                },
            }
        }
        other => Err(parse_err(format!(
            "date \"{}\" is not a date",
            excerpt(&other.text())
        ))),
    }
}

/// A date written exactly `YYYY-MM-DD` (the export's form), without the general parser.
fn iso_date(text: &str) -> Option<NaiveDate> {
    let b = text.trim().as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// The first day of a month or quarter written as text, if it is one.
fn period_date(text: &str) -> Option<NaiveDate> {
    let w = words(text);
    let num = |s: &str| s.parse::<u32>().ok();
    let year = |s: &str| num(s).filter(|_| s.len() == 4).map(|y| y as i32);
    let quarter = |s: &str| -> Option<u32> {
        let q = s.strip_prefix('t').or_else(|| s.strip_prefix('q'))?;
        num(q).filter(|q| (1..=4).contains(q))
    };
    let month_name = |s: &str| {
        MONTHS_FR
            .iter()
            .chain(&MONTHS_EN)
            .position(|m| *m == s || (s.len() >= 3 && m.starts_with(s) && s != "ma"))
            .map(|i| (i % 12) as u32 + 1)
    };
    let (y, m) = match w.as_slice() {
        [a, b] => {
            if let (Some(y), Some(q)) = (year(a), quarter(b)) {
                (y, 3 * q - 2)
            } else if let (Some(q), Some(y)) = (quarter(a), year(b)) {
                (y, 3 * q - 2)
            } else if let (Some(m), Some(y)) = (num(a).filter(|_| a.len() <= 2), year(b)) {
                (y, m)
            } else if let (Some(y), Some(m)) = (year(a), num(b).filter(|_| b.len() <= 2)) {
                (y, m)
            } else if let (Some(m), Some(y)) = (month_name(a), year(b)) {
                (y, m)
            } else {
                return None;
            }
        }
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y, m, 1)
}

/// The unit of a duration column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DurationUnit {
    Months,
    Years,
}

/// A duration in whole months: a number in the column's unit; a text with units (`36 mois`,
/// `4 ans`, `1 an et 6 mois`), sums of periods (`12+36`: initial period and renewals), `k x N`
/// (`12 + 3 x 12`), or `N (reconductible|renouvelable) k fois` (N × (1 + k)).
pub(crate) fn duration(cell: &Cell, unit: DurationUnit) -> Result<u32> {
    let bad = |raw: &str| {
        parse_err(format!(
            "duration \"{}\" is not a duration (accepted: 36, 36 mois, 4 ans, 12+36, 1 an reconductible 3 fois)",
            excerpt(raw)
        ))
    };
    let months = match cell {
        Cell::Number(d) => {
            let m = match unit {
                DurationUnit::Months => *d,
                DurationUnit::Years => d
                    .checked_mul(Decimal::from(12))
                    .ok_or_else(|| bad(&d.to_string()))?,
            };
            if m.is_sign_negative() || m.fract() != Decimal::ZERO {
                return Err(invalid(format!(
                    "duration \"{d}\" is not a whole number of months"
                )));
            }
            rust_decimal::prelude::ToPrimitive::to_u32(&m).ok_or_else(|| bad(&d.to_string()))?
        }
        Cell::Text(t) => text_duration(t, unit).ok_or_else(|| bad(t))?,
        other => return Err(bad(&other.text())),
    };
    if months > 1200 {
        return Err(invalid(format!(
            "duration of {months} months is more than 100 years"
        )));
    }
    Ok(months)
}

fn text_duration(text: &str, unit: DurationUnit) -> Option<u32> {
    let lower: String = text
        .trim()
        .chars()
        .map(crate::programme::columns::fold_char)
        .collect();
    // "N (unit) reconductible|renouvelable k fois"
    for key in ["reconductible", "renouvelable", "renewable"] {
        if let Some((base, rest)) = lower.split_once(key) {
            let base = text_duration(base, unit)?;
            let k: u32 = rest
                .split(|c: char| !c.is_ascii_digit())
                .find(|s| !s.is_empty())?
                .parse()
                .ok()?;
            return base.checked_mul(k.checked_add(1)?);
        }
    }
    let mut total = 0u32;
    for term in lower.split(['+', '&']).flat_map(|t| t.split(" et ")) {
        total = total.checked_add(term_months(term, unit)?)?;
    }
    Some(total)
}

/// One term: `N`, `N unit`, `k x N unit`, with a decimal comma or point (`1,5 an`).
fn term_months(term: &str, unit: DurationUnit) -> Option<u32> {
    let t = term.trim();
    if t.is_empty() {
        return None;
    }
    let (times, rest) = match t.split_once(['x', '×', '*']) {
        Some((k, r)) if k.trim().chars().all(|c| c.is_ascii_digit()) && !k.trim().is_empty() => {
            (k.trim().parse::<u32>().ok()?, r.trim())
        }
        _ => (1, t),
    };
    let split = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.' || c == ' '))
        .unwrap_or(rest.len());
    let (num, word) = rest.split_at(split);
    let num: Decimal = num.trim().replace(' ', "").replace(',', ".").parse().ok()?;
    let word = word.trim().trim_end_matches('.');
    let per = match word {
        "" => match unit {
            DurationUnit::Months => 1,
            DurationUnit::Years => 12,
        },
        "m" | "mois" | "month" | "months" => 1,
        "a" | "an" | "ans" | "annee" | "annees" | "y" | "year" | "years" => 12,
        "sem" | "semestre" | "semestres" => 6,
        "trimestre" | "trimestres" => 3,
        _ => return None,
    };
    let months = num.checked_mul(Decimal::from(per))?;
    if months.fract() != Decimal::ZERO || months.is_sign_negative() {
        return None;
    }
    let m: u32 = months.trunc().to_string().parse().ok()?;
    m.checked_mul(times)
}

/// A yes/no flag: `true/false`, `oui/non`, `1/0`, `yes/no`, `vrai/faux`, `o/n`, `x`; empty
/// is false; boolean and 0/1 number cells.
pub(crate) fn flag(cell: &Cell) -> Result<bool> {
    match cell {
        Cell::Bool(b) => Ok(*b),
        Cell::Number(d) if d.is_zero() => Ok(false),
        Cell::Number(d) if *d == Decimal::ONE => Ok(true),
        c => parse_flag(&c.text()),
    }
}

/// Parses a flag written as text (see [`flag`]).
pub(crate) fn parse_flag(text: &str) -> Result<bool> {
    match text.trim() {
        "" | "false" | "non" | "0" => return Ok(false),
        "true" | "oui" | "1" => return Ok(true),
        _ => {}
    }
    match words(text).join(" ").as_str() {
        "" | "false" | "non" | "0" | "no" | "faux" | "n" | "f" => Ok(false),
        "true" | "oui" | "1" | "yes" | "vrai" | "o" | "y" | "x" | "t" => Ok(true),
        _ => Err(parse_err(format!(
            "flag \"{}\" is not a yes/no value (accepted: true/false, oui/non, 1/0)",
            excerpt(text)
        ))),
    }
}

/// The name of a central purchasing body or purchasing group as written in its column
/// (L2113-2, L2113-6):
///
/// - a name in double quotes (`"Oui"`) is that name as written, whatever it says — how
///   [`intermediary_text`] writes a name that would otherwise read as a flag;
/// - a yes-flag (`oui`, `x`, `1`, `TRUE`, a true boolean cell…: the line goes through one that
///   the file does not name) is `generic`;
/// - a no-flag (`non`, `0`, `FALSE`…) is no intermediary (`None`);
/// - any other text is the name (`UGAP`), including one that reads as a flag word only once
///   its accents are folded (`Yés`): flag words are plain ASCII.
pub(crate) fn intermediary(cell: &Cell, generic: &str) -> Option<String> {
    let t = cell.text();
    if let Some(name) = unquote(&t) {
        return Some(name.to_string());
    }
    match intermediary_flag(cell) {
        Some(true) => Some(generic.to_string()),
        Some(false) => None,
        None => Some(t.into_owned()),
    }
}

/// Whether a cell of an intermediary column is a yes/no flag rather than a name: a boolean or
/// 0/1 number cell, or a text [`parse_flag`] accepts that is plain ASCII. The one test both
/// [`intermediary`] (reading) and [`intermediary_text`] (writing) use.
fn intermediary_flag(cell: &Cell) -> Option<bool> {
    match cell {
        Cell::Text(t) if !t.is_ascii() => None,
        c => flag(c).ok(),
    }
}

/// Writes an intermediary's name so that [`intermediary`] reads the same name back, whatever
/// it is: as it is, or in double quotes when it would read as a flag (`Oui`, `x`, `0`), is
/// empty, is quoted itself (`"UGAP"`) or has surrounding blanks (cells are trimmed).
pub(crate) fn intermediary_text(name: &str) -> String {
    let as_cell = Cell::Text(name.to_string());
    if name.trim() != name
        || name.is_empty()
        || unquote(name).is_some()
        || intermediary_flag(&as_cell).is_some()
    {
        format!("\"{name}\"")
    } else {
        name.to_string()
    }
}

/// The text inside a pair of surrounding double quotes.
fn unquote(text: &str) -> Option<&str> {
    text.strip_prefix('"')?.strip_suffix('"')
}

/// A nature: as [`Nature`] reads it, or `prestations intellectuelles`, `prestations de
/// services`, `PI`, `FCS` (services).
pub(crate) fn nature(cell: &Cell) -> Result<Nature> {
    let t = cell.text();
    let key = words(&t).join(" ");
    match key.as_str() {
        "prestations intellectuelles"
        | "prestation intellectuelle"
        | "pi"
        | "fcs"
        | "prestations de services"
        | "prestation de service"
        | "prestations de service"
        | "services sociaux et specifiques" => return Ok(Nature::Services),
        "marche de travaux" | "marches de travaux" => return Ok(Nature::Works),
        "marche de fournitures" | "marches de fournitures" => return Ok(Nature::Supplies),
        _ => {}
    }
    let plain: String = t
        .chars()
        .map(crate::programme::columns::fold_char)
        .collect();
    plain.parse::<Nature>().map_err(|e| {
        short(
            Error::new(
                e.kind(),
                format!(
                    "nature \"{}\" is unknown; accepted: works, supplies, services, travaux, fournitures, prestations intellectuelles (services)",
                    excerpt(&t)
                ),
            ),
            &t,
        )
    })
}

/// A CPV code; a number cell or a text of 7 digits gets back the leading zero spreadsheets
/// drop (`3000000` → `03000000`).
pub(crate) fn cpv(cell: &Cell) -> Result<CpvCode> {
    let t = cell.text();
    let digits = t.trim();
    let padded;
    let text = if digits.len() == 7 && digits.bytes().all(|b| b.is_ascii_digit()) {
        padded = format!("0{digits}");
        padded.as_str()
    } else {
        digits
    };
    CpvCode::parse(text).map_err(|e| short(e, &t))
}

/// Planned considerations: dimension tags separated by `|`, `,`, `;`, `+` or `/`.
pub(crate) fn considerations(cell: &Cell) -> Result<Vec<Dimension>> {
    let t = cell.text();
    let mut out: Vec<Dimension> = Vec::new();
    for part in t.split(['|', ',', ';', '+', '/']) {
        let p = part.trim();
        if p.is_empty() {
            continue;
        }
        let d: Dimension = p.parse().map_err(|e| short(e, p))?;
        if !out.contains(&d) {
            out.push(d);
        }
    }
    Ok(out)
}

/// A line status, in English (`to_launch`…) or French (`à lancer`, `en préparation`,
/// `lancé`, `attribué`, `annulé`…).
pub(crate) fn status(cell: &Cell) -> Result<crate::programme::model::LineStatus> {
    let t = cell.text();
    let key = words(&t).join(" ");
    let s = match key.as_str() {
        "to launch" | "to_launch" | "a lancer" | "prevu" | "planifie" | "programme" | "a venir"
        | "todo" => LineStatus::ToLaunch,
        "in preparation"
        | "in_preparation"
        | "en preparation"
        | "en cours de preparation"
        | "en redaction"
        | "en cours de redaction"
        | "sourcing"
        | "en sourcing" => LineStatus::InPreparation,
        "launched"
        | "lance"
        | "lancee"
        | "publie"
        | "publiee"
        | "en consultation"
        | "en cours de consultation"
        | "en cours"
        | "en analyse" => LineStatus::Launched,
        "awarded" | "attribue" | "attribuee" | "notifie" | "notifiee" | "signe" => {
            LineStatus::Awarded
        }
        "cancelled" | "canceled" | "annule" | "annulee" | "abandonne" | "abandonnee"
        | "sans suite" | "infructueux" => LineStatus::Cancelled,
        _ => {
            return Err(invalid(format!(
                "status \"{}\" is unknown; accepted: to_launch (à lancer), in_preparation (en préparation), launched (lancé), awarded (attribué), cancelled (annulé)",
                excerpt(&t)
            )));
        }
    };
    Ok(s)
}

/// A no-competition case: its name, its article (`R2122-3`), or a French description
/// (`urgence impérieuse`, `infructueux`, `exclusivité`…).
pub(crate) fn no_competition(cell: &Cell) -> Result<NoCompetitionCase> {
    let t = cell.text();
    if let Ok(c) = t.parse::<NoCompetitionCase>() {
        return Ok(c);
    }
    let key = words(&t).join(" ");
    let has = |w: &str| key.contains(w);
    let c = if has("urgence") {
        NoCompetitionCase::ImperativeUrgency
    } else if has("infructu") || has("sans suite") {
        NoCompetitionCase::UnsuccessfulProcedure
    } else if has("exclusi") || has("operateur unique") || has("seul operateur") {
        NoCompetitionCase::SingleOperator
    } else if has("livraison") && has("complementaire") {
        NoCompetitionCase::AdditionalDeliveries
    } else if has("matiere premiere") || has("bourse") {
        NoCompetitionCase::CommodityMarket
    } else if has("liquidation") || has("conditions particulierement avantageuses") {
        NoCompetitionCase::AdvantageousTerms
    } else if has("similaire") || has("repetition") {
        NoCompetitionCase::RepeatedServices
    } else if has("concours") {
        NoCompetitionCase::DesignContest
    } else if has("recherche") {
        NoCompetitionCase::Research
    } else {
        return Err(invalid(format!(
            "no-competition case \"{}\" is unknown; accepted: {} or an article",
            excerpt(&t),
            NoCompetitionCase::ALL.map(|c| c.as_str()).join(", ")
        )));
    };
    Ok(c)
}

/// A social exemption case, in English or French.
pub(crate) fn social_exemption_case(cell: &Cell) -> Result<SocialExemptionCase> {
    let t = cell.text();
    let key = words(&t).join(" ");
    let c = match key.as_str() {
        "immediately available solution" | "solution immediatement disponible" => {
            SocialExemptionCase::ImmediatelyAvailableSolution
        }
        "no link with subject matter"
        | "pas de lien avec l objet"
        | "absence de lien avec l objet"
        | "pas de lien avec l objet du marche"
        | "absence de lien avec l objet du marche" => SocialExemptionCase::NoLinkWithSubjectMatter,
        "competition or performance risk"
        | "risque pour la concurrence ou l execution"
        | "risque concurrence"
        | "risque d execution" => SocialExemptionCase::CompetitionOrPerformanceRisk,
        "other" | "autre" => SocialExemptionCase::Other,
        _ => {
            let snake = key.replace(' ', "_");
            [
                SocialExemptionCase::ImmediatelyAvailableSolution,
                SocialExemptionCase::NoLinkWithSubjectMatter,
                SocialExemptionCase::CompetitionOrPerformanceRisk,
                SocialExemptionCase::Other,
            ]
            .into_iter()
            .find(|c| c.as_str() == snake)
            .ok_or_else(|| {
                invalid(format!(
                    "social exemption \"{}\" is unknown; accepted: immediately_available_solution, no_link_with_subject_matter, competition_or_performance_risk, other",
                    excerpt(&t)
                ))
            })?
        }
    };
    Ok(c)
}

/// The kind of an award criterion from its name or kind tag.
fn criterion_kind(name: &str) -> CriterionKind {
    let key = words(name).join(" ");
    let has = |w: &str| key.contains(w);
    if has("environ") || has("developpement durable") || has("ecolog") || has("carbone") {
        CriterionKind::Environmental
    } else if has("social") || has("insertion") {
        CriterionKind::Social
    } else if has("innov") {
        CriterionKind::Innovation
    } else if has("cout") || has("cost") {
        CriterionKind::Cost
    } else if has("prix") || has("price") {
        CriterionKind::Price
    } else if has("delai") || has("delay") || has("delivery") {
        CriterionKind::Delay
    } else if has("technique") || has("qualit") || has("quality") || has("valeur") {
        CriterionKind::Quality
    } else {
        CriterionKind::Other
    }
}

const CRITERION_KINDS: [(CriterionKind, &str); 8] = [
    (CriterionKind::Price, "price"),
    (CriterionKind::Cost, "cost"),
    (CriterionKind::Quality, "quality"),
    (CriterionKind::Environmental, "environmental"),
    (CriterionKind::Social, "social"),
    (CriterionKind::Innovation, "innovation"),
    (CriterionKind::Delay, "delay"),
    (CriterionKind::Other, "other"),
];

/// The tag of a criterion kind in the cell syntax.
pub(crate) fn criterion_tag(kind: CriterionKind) -> &'static str {
    CRITERION_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("other", |(_, t)| t)
}

/// A weight: `60 %`, `60%`, `0,6`, `0.6`; a bare number above 1 is a percentage.
fn weight(text: &str, convention: Option<NumberConvention>) -> Option<Share> {
    let t = text.trim();
    let (num, percent) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let d = parse_decimal_with(num, convention.or(Some(NumberConvention::DecimalComma))).ok()?;
    if percent || d > Decimal::ONE {
        Share::from_percent(d).ok()
    } else {
        Share::new(d).ok()
    }
}

/// Planned award criteria, separated by `|` or new lines. Each is written `kind:name=weight`
/// (the form [`crate::Programme::to_csv`] writes; `kind+env` marks a criterion that takes
/// environmental characteristics into account) or loosely `name weight` (`Prix 60 %`,
/// `Valeur technique 30`, `Environnement 10 %`), the kind then read from the name.
pub(crate) fn award_criteria(
    cell: &Cell,
    convention: Option<NumberConvention>,
) -> Result<Vec<AwardCriterion>> {
    let t = cell.text();
    let mut out = Vec::new();
    for item in t.split(['|', '\n']) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let bad = || {
            parse_err(format!(
                "award criterion \"{}\" is not \"name weight\" (e.g. \"Prix 60 %\") or \"kind:name=weight\"",
                excerpt(item)
            ))
        };
        let (kind, env, rest) = match item.split_once(':') {
            Some((tag, rest)) => {
                let tag = tag.trim().to_ascii_lowercase();
                let (tag, env) = match tag.strip_suffix("+env") {
                    Some(t) => (t.to_string(), true),
                    None => (tag, false),
                };
                match CRITERION_KINDS.iter().find(|(_, n)| *n == tag) {
                    Some((k, _)) => (Some(*k), env, rest),
                    None => (None, false, item),
                }
            }
            None => (None, false, item),
        };
        let (name, w) = match rest.rsplit_once('=') {
            Some((n, w)) => (n.trim(), w.trim()),
            None => {
                // "name weight": the weight is the last word (with a following "%").
                let r = rest.trim();
                let cut = r
                    .trim_end_matches('%')
                    .trim_end()
                    .rfind(' ')
                    .ok_or_else(bad)?;
                (r[..cut].trim(), r[cut..].trim())
            }
        };
        let weight = weight(w, convention).ok_or_else(|| {
            invalid(format!(
                "award criterion \"{}\": weight \"{}\" is not a share (60 %, 0,6) in 0..=100 %",
                excerpt(item),
                excerpt(w)
            ))
        })?;
        if name.is_empty() {
            return Err(bad());
        }
        let kind = kind.unwrap_or_else(|| criterion_kind(name));
        let mut c = AwardCriterion::new(name, kind, weight);
        if env {
            c = c.environmental();
        }
        out.push(c);
    }
    if out.is_empty() {
        return Err(parse_err(
            "award criteria: the cell has no criterion".into(),
        ));
    }
    Ok(out)
}

/// Writes award criteria in the canonical cell form (`kind:name=weight`, `|`-separated).
pub(crate) fn award_criteria_text(criteria: &[AwardCriterion]) -> String {
    criteria
        .iter()
        .map(|c| {
            let env = if c.environmental && c.kind != CriterionKind::Environmental {
                "+env"
            } else {
                ""
            };
            format!("{}{env}:{}={}", criterion_tag(c.kind), c.name, c.weight)
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// A list of départements separated by `|`, `,`, `;` or blanks (`2A`, `75`, `1` → `01`).
pub(crate) fn departements(cell: &Cell) -> Result<Vec<Departement>> {
    let t = cell.text();
    let mut out: Vec<Departement> = Vec::new();
    for p in t.split(['|', ',', ';', ' ', '/']) {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        let d = Departement::parse(p).map_err(|e| short(e, p))?;
        if !out.contains(&d) {
            out.push(d);
        }
    }
    Ok(out)
}

/// A list of ids separated by `|`, `;`, `,` or new lines.
pub(crate) fn id_list(cell: &Cell) -> Vec<String> {
    cell.text()
        .split(['|', ';', ',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A lot number: `3`, `Lot 3`, `L3`, `lot n°3`, or a number cell; from 1.
pub(crate) fn lot_number(cell: &Cell) -> Result<u32> {
    let t = cell.text();
    let digits: String = t
        .trim()
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .to_string();
    let n = digits
        .parse::<u32>()
        .ok()
        .or_else(|| match cell {
            Cell::Number(d) if d.fract().is_zero() => d.to_string().parse().ok(),
            _ => None,
        })
        .ok_or_else(|| {
            parse_err(format!(
                "lot \"{}\" is not a lot number (1, 2…; \"Lot 3\")",
                excerpt(&t)
            ))
        })?;
    if n == 0 {
        return Err(invalid("lot \"0\": lots are numbered from 1".into()));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    #[test]
    fn durations_as_buyers_write_them() {
        let m = |s: &str| duration(&text(s), DurationUnit::Months).unwrap();
        assert_eq!(m("36"), 36);
        assert_eq!(m("36 mois"), 36);
        assert_eq!(m("4 ans"), 48);
        assert_eq!(m("12+36"), 48);
        assert_eq!(m("12 + 3 x 12"), 48);
        assert_eq!(m("1 an reconductible 3 fois"), 48);
        assert_eq!(m("1 an et 6 mois"), 18);
        assert_eq!(m("1,5 an"), 18);
        assert_eq!(duration(&text("4"), DurationUnit::Years).unwrap(), 48);
        assert_eq!(
            duration(&Cell::Number(Decimal::new(15, 1)), DurationUnit::Years).unwrap(),
            18
        );
        for bad in ["douze", "12 semaines", "-3", "", "1,3 mois"] {
            assert!(duration(&text(bad), DurationUnit::Months).is_err(), "{bad}");
        }
    }

    #[test]
    fn months_and_quarters_read_as_their_first_day() {
        let d = |s: &str| date(&text(s)).unwrap();
        assert_eq!(d("05/2026").0.to_string(), "2026-05-01");
        assert_eq!(d("mai 2026").0.to_string(), "2026-05-01");
        assert_eq!(d("T3 2026").0.to_string(), "2026-07-01");
        assert_eq!(d("2026-Q4").0.to_string(), "2026-10-01");
        assert_eq!(d("Sept. 2027").0.to_string(), "2027-09-01");
        assert_eq!(
            d("15/03/2026"),
            (
                NaiveDate::from_ymd_opt(2026, 3, 15).unwrap(),
                DatePrecision::Day
            )
        );
        assert!(
            date(&text("15/09/26"))
                .unwrap_err()
                .to_string()
                .contains("two-digit")
        );
        assert!(date(&text("13/2026")).is_err());
    }

    #[test]
    fn award_criteria_loose_and_canonical() {
        let c = award_criteria(
            &text("Prix 60 % | Valeur technique 30 | Environnement 0,1"),
            None,
        )
        .unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].kind, CriterionKind::Price);
        assert_eq!(c[1].kind, CriterionKind::Quality);
        assert_eq!(c[1].weight.to_string(), "0.3");
        assert!(c[2].is_environmental());
        let canon = award_criteria_text(&c);
        assert_eq!(award_criteria(&text(&canon), None).unwrap(), c);
        let env_cost = vec![
            AwardCriterion::new("Coût global", CriterionKind::Cost, Share::ONE).environmental(),
        ];
        let t = award_criteria_text(&env_cost);
        assert_eq!(t, "cost+env:Coût global=1");
        assert_eq!(award_criteria(&text(&t), None).unwrap(), env_cost);
    }
}
