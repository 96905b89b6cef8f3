//! Spreadsheet (CSV) import and export of a programme, tolerant of French exports.

use std::collections::HashSet;
use std::io::Read;

use crate::vocabulary::dimension::Dimension;

use crate::error::{Error, ErrorKind, Result};
use crate::programme::model::{Buyer, PlanLine, Programme};
use crate::util::text::fold;
use crate::values::cpv::CpvCode;
use crate::values::date::parse_date;
use crate::values::money::Amount;
use crate::values::nature::Nature;

/// The columns of a programme spreadsheet, with their accepted header names (compared after
/// folding case and accents, and turning blanks, `-`, `'` and `.` into `_`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Id,
    Label,
    Family,
    Cpv,
    Nature,
    Amount,
    LaunchDate,
    Duration,
    Service,
    Operation,
    Innovative,
    Considerations,
    CurrentEnd,
    SpecificServices,
}

const COLUMNS: [(Col, &str, &[&str]); 14] = [
    (
        Col::Id,
        "id",
        &["id", "identifiant", "ref", "reference", "numero", "n", "no"],
    ),
    (
        Col::Label,
        "label",
        &["label", "libelle", "intitule", "objet", "designation"],
    ),
    (
        Col::Family,
        "family",
        &[
            "family",
            "famille",
            "family_key",
            "code_famille",
            "famille_homogene",
        ],
    ),
    (Col::Cpv, "cpv", &["cpv", "code_cpv", "cpv_code"]),
    (Col::Nature, "nature", &["nature", "type"]),
    (
        Col::Amount,
        "amount_ht",
        &[
            "amount_ht",
            "amount",
            "montant_ht",
            "montant",
            "montant_estime_ht",
            "montant_estime",
            "montant_previsionnel_ht",
        ],
    ),
    (
        Col::LaunchDate,
        "launch_date",
        &[
            "launch_date",
            "date_lancement",
            "date_de_lancement",
            "lancement",
        ],
    ),
    (
        Col::Duration,
        "duration_months",
        &[
            "duration_months",
            "duration",
            "duree_mois",
            "duree",
            "duree_en_mois",
        ],
    ),
    (
        Col::Service,
        "service",
        &["service", "service_prescripteur", "prescribing_service"],
    ),
    (
        Col::Operation,
        "operation",
        &[
            "operation",
            "operation_travaux",
            "code_operation",
            "works_operation",
        ],
    ),
    (
        Col::Innovative,
        "innovative",
        &["innovative", "innovant", "innovation", "achat_innovant"],
    ),
    (
        Col::Considerations,
        "considerations",
        &[
            "considerations",
            "considerations_prevues",
            "planned_considerations",
        ],
    ),
    (
        Col::CurrentEnd,
        "current_end_date",
        &[
            "current_end_date",
            "date_fin_actuelle",
            "date_de_fin_actuelle",
            "date_fin_marche_actuel",
            "fin_marche_actuel",
            "echeance",
        ],
    ),
    (
        Col::SpecificServices,
        "specific_services",
        &[
            "specific_services",
            "services_specifiques",
            "services_sociaux_et_specifiques",
            "services_sociaux_specifiques",
        ],
    ),
];

const REQUIRED: [Col; 5] = [
    Col::Id,
    Col::Label,
    Col::Nature,
    Col::Amount,
    Col::LaunchDate,
];

fn header_key(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    for c in fold(h).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

fn column_of(header: &str) -> Option<Col> {
    let k = header_key(header);
    let k = k.strip_suffix("_eur").unwrap_or(&k);
    COLUMNS
        .iter()
        .find(|(_, _, aliases)| aliases.contains(&k))
        .map(|(c, _, _)| *c)
}

fn canonical(col: Col) -> &'static str {
    COLUMNS
        .iter()
        .find(|(c, _, _)| *c == col)
        .map_or("", |(_, n, _)| n)
}

/// The French header of a column (as in the issue's list of French headers).
fn french(col: Col) -> &'static str {
    match col {
        Col::Id => "identifiant",
        Col::Label => "libelle",
        Col::Family => "famille",
        Col::Cpv => "code_cpv",
        Col::Nature => "nature",
        Col::Amount => "montant_ht",
        Col::LaunchDate => "date_lancement",
        Col::Duration => "duree_mois",
        Col::Service => "service",
        Col::Operation => "operation",
        Col::Innovative => "innovant",
        Col::Considerations => "considerations",
        Col::CurrentEnd => "date_fin_actuelle",
        Col::SpecificServices => "services_specifiques",
    }
}

/// Picks `;` or `,` (or a tab) from the header line: the most frequent outside quotes.
fn detect_delimiter(data: &[u8]) -> u8 {
    let line_end = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let mut in_quotes = false;
    let (mut semi, mut comma, mut tab) = (0usize, 0usize, 0usize);
    for &b in &data[..line_end] {
        match b {
            b'"' => in_quotes = !in_quotes,
            b';' if !in_quotes => semi += 1,
            b',' if !in_quotes => comma += 1,
            b'\t' if !in_quotes => tab += 1,
            _ => {}
        }
    }
    if tab > semi && tab > comma {
        b'\t'
    } else if semi >= comma && semi > 0 {
        b';'
    } else {
        b','
    }
}

/// Parses a flag: `true/false`, `oui/non`, `1/0`, `yes/no`, `vrai/faux`, `o/n`, `x`; empty is
/// false.
pub(crate) fn parse_flag(text: &str) -> Result<bool> {
    match fold(text).as_str() {
        "" | "false" | "non" | "0" | "no" | "faux" | "n" | "f" => Ok(false),
        "true" | "oui" | "1" | "yes" | "vrai" | "o" | "y" | "x" | "t" => Ok(true),
        _ => Err(Error::new(
            ErrorKind::Parse,
            format!("flag \"{text}\" is not a yes/no value (accepted: true/false, oui/non, 1/0)"),
        )),
    }
}

fn parse_considerations(text: &str) -> Result<Vec<Dimension>> {
    let mut out: Vec<Dimension> = Vec::new();
    for part in text.split(['|', ',', ';', '+', '/']) {
        let p = part.trim();
        if p.is_empty() {
            continue;
        }
        let d: Dimension = p.parse()?;
        if !out.contains(&d) {
            out.push(d);
        }
    }
    Ok(out)
}

fn parse_duration(text: &str) -> Result<u32> {
    let t = text.trim();
    let t = t
        .strip_suffix("mois")
        .or_else(|| t.strip_suffix("months"))
        .unwrap_or(t)
        .trim();
    t.parse::<u32>().map_err(|e| {
        Error::new(
            ErrorKind::Parse,
            format!("duration \"{text}\" is not a whole number of months"),
        )
        .with_source(e)
    })
}

fn opt_text(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl Programme {
    /// Reads a programme from a spreadsheet export (CSV), one line per row.
    ///
    /// Tolerates what French exports contain: a UTF-8 byte-order mark; `;`, `,` or tab as
    /// delimiter (detected on the header line); headers in English (`id, label, family, cpv,
    /// nature, amount_ht, launch_date, duration_months, service, operation, innovative,
    /// considerations, current_end_date, specific_services`) or French (`identifiant, libelle,
    /// famille, code_cpv, nature, montant_ht, date_lancement, duree_mois, service, operation,
    /// innovant, considerations, date_fin_actuelle, services_specifiques`), in any order and
    /// case, accents optional; amounts
    /// with a decimal comma, spaces or non-breaking spaces as thousands separators and a `€`;
    /// dates as `2026-03-15` or `15/03/2026`; natures in English or French; flags as
    /// `true/false`, `oui/non`, `1/0`; considerations as dimension tags separated by `|` or `,`
    /// (`social|environmental`); empty optional cells. Only `id`, `label`, `nature`,
    /// `amount_ht` and `launch_date` are required. Unknown columns are ignored; rows whose
    /// cells are all empty are skipped; every other row becomes a line or an error.
    ///
    /// # Errors
    /// The first problem found, naming the line of the file, the column as written in the
    /// header and the value: [`ErrorKind::Missing`] for a missing required column or an empty
    /// required cell; [`ErrorKind::Parse`] for an unparseable amount, date, flag, duration or
    /// bad CSV/UTF-8; [`ErrorKind::InvalidValue`] for a negative amount, an unknown nature
    /// (listing the accepted ones), a bad CPV code or specific services (R2123-1 3°) on a line
    /// that is not services; [`ErrorKind::Duplicate`] for a repeated
    /// column or line id; [`ErrorKind::Io`] when reading fails.
    ///
    /// ```
    /// use spaser::{Buyer, BuyerKind, ErrorKind, Programme};
    /// let buyer = Buyer::new("Ville", BuyerKind::OtherContractingAuthority);
    /// let csv = "\u{feff}id;libelle;nature;montant_ht;date_lancement;innovant\n\
    ///            T1;Voirie;travaux;1\u{a0}250\u{a0}000,00 €;2026-05-04;non\n";
    /// let p = Programme::from_csv(csv.as_bytes(), buyer.clone())?;
    /// assert_eq!(p.lines[0].amount.to_string(), "1250000.00");
    ///
    /// let bad = "id,label,nature,amount_ht,launch_date\nA,Pens,stationery,10,2026-01-01\n";
    /// let err = Programme::from_csv(bad.as_bytes(), buyer).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidValue);
    /// assert!(err.to_string().starts_with("line 2, column \"nature\""));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn from_csv(mut reader: impl Read, buyer: Buyer) -> Result<Programme> {
        let mut data = Vec::new();
        reader.read_to_end(&mut data).map_err(|e| {
            Error::new(ErrorKind::Io, format!("reading the programme: {e}")).with_source(e)
        })?;
        let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&data);
        let delimiter = detect_delimiter(body);
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(body);

        let headers = rdr.headers().map_err(|e| csv_error(&e, "header"))?.clone();
        let mut cols: Vec<Option<Col>> = Vec::with_capacity(headers.len());
        let mut index: [Option<usize>; COLUMNS.len()] = [None; COLUMNS.len()];
        for (i, h) in headers.iter().enumerate() {
            let col = column_of(h);
            if let Some(c) = col {
                let slot = &mut index[c as usize];
                if let Some(prev) = *slot {
                    return Err(Error::new(
                        ErrorKind::Duplicate,
                        format!(
                            "line 1, column \"{h}\": column {} already given by column \"{}\"",
                            canonical(c),
                            &headers[prev]
                        ),
                    ));
                }
                *slot = Some(i);
            }
            cols.push(col);
        }
        for c in REQUIRED {
            if index[c as usize].is_none() {
                let name = canonical(c);
                let fr = french(c);
                return Err(Error::new(
                    ErrorKind::Missing,
                    format!("line 1: required column \"{name}\" (or \"{fr}\") is missing"),
                ));
            }
        }

        let mut lines: Vec<PlanLine> = Vec::new();
        let mut ids: HashSet<String> = HashSet::new();
        let mut first_line: std::collections::HashMap<String, u64> =
            std::collections::HashMap::new();
        let mut record = csv::StringRecord::new();
        loop {
            let more = rdr
                .read_record(&mut record)
                .map_err(|e| csv_error(&e, "record"))?;
            if !more {
                break;
            }
            let line_no = record.position().map_or(0, |p| p.line());
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            if record.len() > headers.len() {
                let extra: Vec<&str> = record
                    .iter()
                    .skip(headers.len())
                    .filter(|c| !c.trim().is_empty())
                    .collect();
                if let Some(v) = extra.first() {
                    return Err(Error::new(
                        ErrorKind::Parse,
                        format!(
                            "line {line_no}: value \"{v}\" lies beyond the {} columns of the header",
                            headers.len()
                        ),
                    ));
                }
            }
            let cell = |c: Col| -> (&str, &str) {
                match index[c as usize] {
                    Some(i) => (record.get(i).unwrap_or("").trim(), &headers[i]),
                    None => ("", canonical(c)),
                }
            };
            let at = |c: Col| {
                let (_, h) = cell(c);
                format!("line {line_no}, column \"{h}\"")
            };
            let required = |c: Col| -> Result<&str> {
                let (v, h) = cell(c);
                if v.is_empty() {
                    return Err(Error::new(
                        ErrorKind::Missing,
                        format!("line {line_no}, column \"{h}\": the value is empty"),
                    ));
                }
                Ok(v)
            };

            let id = required(Col::Id)?.to_string();
            let label = required(Col::Label)?.to_string();
            let nature: Nature = required(Col::Nature)?
                .parse()
                .map_err(|e: Error| e.context(at(Col::Nature)))?;
            let amount = Amount::parse_localized(required(Col::Amount)?)
                .map_err(|e| e.context(at(Col::Amount)))?;
            let launch_date = parse_date(required(Col::LaunchDate)?)
                .map_err(|e| e.context(at(Col::LaunchDate)))?;

            let cpv = match cell(Col::Cpv).0 {
                "" => None,
                v => Some(CpvCode::parse(v).map_err(|e| e.context(at(Col::Cpv)))?),
            };
            let duration_months = match cell(Col::Duration).0 {
                "" => None,
                v => Some(parse_duration(v).map_err(|e| e.context(at(Col::Duration)))?),
            };
            let innovative =
                parse_flag(cell(Col::Innovative).0).map_err(|e| e.context(at(Col::Innovative)))?;
            let considerations = parse_considerations(cell(Col::Considerations).0)
                .map_err(|e| e.context(at(Col::Considerations)))?;
            let current_end_date = match cell(Col::CurrentEnd).0 {
                "" => None,
                v => Some(parse_date(v).map_err(|e| e.context(at(Col::CurrentEnd)))?),
            };
            let specific_services = parse_flag(cell(Col::SpecificServices).0)
                .map_err(|e| e.context(at(Col::SpecificServices)))?;
            if specific_services && nature != Nature::Services {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "{}: specific services (R2123-1 3°) apply to services, not {nature}",
                        at(Col::SpecificServices)
                    ),
                ));
            }

            if !ids.insert(id.clone()) {
                let first = first_line.get(&id).copied().unwrap_or(0);
                return Err(Error::new(
                    ErrorKind::Duplicate,
                    format!(
                        "{}: line id \"{id}\" is already used on line {first}",
                        at(Col::Id)
                    ),
                ));
            }
            first_line.insert(id.clone(), line_no);

            let mut line = PlanLine::new(id, label, nature, amount, launch_date);
            line.family = opt_text(cell(Col::Family).0);
            line.cpv = cpv;
            line.duration_months = duration_months;
            line.service = opt_text(cell(Col::Service).0);
            line.operation = opt_text(cell(Col::Operation).0);
            line.innovative = innovative;
            line.specific_services = specific_services;
            line.considerations = considerations;
            line.current_end_date = current_end_date;
            lines.push(line);
        }
        Ok(Programme { buyer, lines })
    }

    /// Writes the lines as CSV (`,` delimiter, English headers, canonical values: amounts
    /// `1234.50`, ISO dates, `true`/`false`, considerations joined by `|`). The buyer is not
    /// written: [`Programme::from_csv`] takes it as an argument, and reading the output back
    /// with the same buyer gives an equal programme.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] if the CSV writer fails (it does not when writing to memory).
    ///
    /// ```
    /// use spaser::Programme;
    /// let sample = Programme::sample();
    /// let csv = sample.to_csv()?;
    /// assert_eq!(&Programme::from_csv(csv.as_bytes(), sample.buyer.clone())?, sample);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn to_csv(&self) -> Result<String> {
        let io = |e: csv::Error| {
            Error::new(ErrorKind::Io, format!("writing the programme CSV: {e}")).with_source(e)
        };
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        w.write_record(COLUMNS.iter().map(|(_, n, _)| *n))
            .map_err(io)?;
        for l in &self.lines {
            let cons: Vec<&str> = l.considerations.iter().map(|d| d.as_str()).collect();
            w.write_record([
                l.id.clone(),
                l.label.clone(),
                l.family.clone().unwrap_or_default(),
                l.cpv.map(|c| c.to_string()).unwrap_or_default(),
                l.nature.to_string(),
                l.amount.to_string(),
                l.launch_date.to_string(),
                l.duration_months.map(|d| d.to_string()).unwrap_or_default(),
                l.service.clone().unwrap_or_default(),
                l.operation.clone().unwrap_or_default(),
                l.innovative.to_string(),
                cons.join("|"),
                l.current_end_date
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                l.specific_services.to_string(),
            ])
            .map_err(io)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| Error::new(ErrorKind::Io, format!("writing the programme CSV: {e}")))?;
        String::from_utf8(bytes).map_err(|e| {
            Error::new(ErrorKind::Io, "writing the programme CSV: invalid UTF-8").with_source(e)
        })
    }
}

fn csv_error(e: &csv::Error, what: &str) -> Error {
    let line = e.position().map(|p| p.line());
    let msg = match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!("{what} is not valid UTF-8 ({err})"),
        _ => format!("{what} is not valid CSV ({e})"),
    };
    let kind = match e.kind() {
        csv::ErrorKind::Io(_) => ErrorKind::Io,
        _ => ErrorKind::Parse,
    };
    match line {
        Some(l) => Error::new(kind, format!("line {l}: {msg}")),
        None => Error::new(kind, msg),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_fold_accents_and_case() {
        assert_eq!(column_of("Libellé"), Some(Col::Label));
        assert_eq!(column_of("Montant HT"), Some(Col::Amount));
        assert_eq!(column_of("Date de lancement"), Some(Col::LaunchDate));
        assert_eq!(column_of("Date fin actuelle"), Some(Col::CurrentEnd));
        assert_eq!(column_of("Durée (mois)"), Some(Col::Duration));
        assert_eq!(column_of("Montant HT (€)"), Some(Col::Amount));
        assert_eq!(column_of("N°"), Some(Col::Id));
        assert_eq!(column_of("commentaire"), None);
    }

    #[test]
    fn delimiter_detection() {
        assert_eq!(detect_delimiter(b"a;b;c\n1,5;2;3"), b';');
        assert_eq!(detect_delimiter(b"a,b,c\n"), b',');
        assert_eq!(detect_delimiter(b"\"a;b\",c\n"), b',');
        assert_eq!(detect_delimiter(b"a\tb\tc\n"), b'\t');
    }

    #[test]
    fn flags() {
        for t in ["oui", "OUI", "1", "true", "x", "Vrai"] {
            assert!(parse_flag(t).unwrap(), "{t}");
        }
        for t in ["non", "0", "false", "", "Faux"] {
            assert!(!parse_flag(t).unwrap(), "{t}");
        }
        assert!(parse_flag("peut-être").is_err());
    }
}
