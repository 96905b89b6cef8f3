//! The programme as a spreadsheet: [`Programme::from_csv`] (the simple call) and the export
//! ([`Programme::to_csv`], [`Programme::to_table`]) in the canonical columns that every reader
//! reads back.

use std::io::Read;

use crate::error::{Error, ErrorKind, Result};
use crate::programme::columns::{FIELDS, Field};
use crate::programme::fields::{award_criteria_text, intermediary_text};
use crate::programme::model::{Buyer, IntermediaryKind, PlanLine, Programme};
use crate::programme::read::{FileFormat, ReadOptions, read_bytes_as};

impl Programme {
    /// Reads a programme from a spreadsheet export (CSV), one line per row, with `buyer` as its
    /// buyer: [`Programme::read`] with the default options (strict: every row error at once).
    ///
    /// Tolerates what French exports contain: UTF-8 (with or without BOM) or Windows-1252
    /// (detected); Excel's `sep=;` line; `;`, `,`, tab or `|` as delimiter; headers in English
    /// (`id, label, family, cpv, nature, amount_ht, launch_date, duration_months, service,
    /// operation, innovative, considerations, current_end_date, specific_services, …`) or
    /// French (`identifiant, libellé, famille, code CPV, nature, montant HT, date de
    /// lancement, durée (mois), service, opération, innovant, considérations, date de fin du
    /// marché actuel, …`) and their aliases, in any order and case, accents optional;
    /// amounts with a decimal comma, spaces or non-breaking spaces as thousands separators
    /// and a `€`; dates as `2026-03-15` or `15/03/2026`; natures in English or French; flags
    /// as `true/false`, `oui/non`, `1/0`; considerations as dimension tags separated by `|`
    /// or `,` (`social|environmental`); empty optional cells. The label, the nature, the
    /// amount and the launch date are required. Blank rows are skipped; every other row
    /// becomes a line or an error. Use [`Programme::read`] for the warnings (unused columns…),
    /// lenient mode and workbooks.
    ///
    /// # Errors
    /// Every row error at once (the kind of the first; one error per line of the message,
    /// each naming the line of the file, the column as written in the header and the value):
    /// [`ErrorKind::Missing`] for a missing required column (naming the headers looked for
    /// and seen) or an empty required cell; [`ErrorKind::Parse`] for an unparseable amount,
    /// date, flag or duration, an ambiguous amount (`250.000` in a file that does not say its
    /// convention) or an unterminated quote; [`ErrorKind::InvalidValue`] for a negative
    /// amount, an unknown nature (listing the accepted ones), a date outside 1990–2100, a bad
    /// CPV code or specific services (R2123-1 3°) on a line that is not services;
    /// [`ErrorKind::Duplicate`] for a repeated column or line id; [`ErrorKind::Io`] when
    /// reading fails.
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
        let options = ReadOptions::default().format(FileFormat::Csv).buyer(buyer);
        read_bytes_as(&data, None, &options)?.into_programme()
    }

    /// The programme as a table of text cells: the header (the canonical English field
    /// names, in the order of [`Programme::to_csv`]) and one row per line, with canonical
    /// values (amounts `1234.50`, ISO dates, `true`/`false`, lists joined by `|`, award
    /// criteria as `kind:name=weight`). Write it with any spreadsheet writer: every reader of
    /// the crate reads it back to the same lines (provided list items — contract ids, award
    /// criterion names — hold no `|`, and intermediaries have a name; a name that would read
    /// as a yes/no flag, such as `Oui`, is written in double quotes: `"Oui"`).
    ///
    /// ```
    /// let (header, rows) = spaser::Programme::sample().to_table();
    /// assert_eq!(header[0], "id");
    /// assert_eq!(rows.len(), spaser::Programme::sample().lines.len());
    /// ```
    pub fn to_table(&self) -> (Vec<&'static str>, Vec<Vec<String>>) {
        let exported = || {
            FIELDS
                .iter()
                .filter(|(f, ..)| !matches!(f, Field::AnnualAmount | Field::DurationYears))
        };
        let header: Vec<&'static str> = exported().map(|(_, n, ..)| *n).collect();
        let rows = self
            .lines
            .iter()
            .map(|l| exported().map(|(f, ..)| cell_text(l, *f)).collect())
            .collect();
        (header, rows)
    }

    /// Writes the lines as CSV (`,` delimiter, UTF-8, the table of [`Programme::to_table`]:
    /// English headers, canonical values). The buyer is not written: [`Programme::from_csv`]
    /// takes it as an argument, and reading the output back with the same buyer gives an
    /// equal programme.
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
        let (header, rows) = self.to_table();
        w.write_record(&header).map_err(io)?;
        for row in rows {
            w.write_record(&row).map_err(io)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| Error::new(ErrorKind::Io, format!("writing the programme CSV: {e}")))?;
        String::from_utf8(bytes).map_err(|e| {
            Error::new(ErrorKind::Io, "writing the programme CSV: invalid UTF-8").with_source(e)
        })
    }
}

/// The canonical text of a field of a line.
fn cell_text(l: &PlanLine, f: Field) -> String {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    match f {
        Field::Id => l.id.clone(),
        Field::Label => l.label.clone(),
        Field::Family => opt(&l.family),
        Field::Cpv => l.cpv.map(|c| c.to_string()).unwrap_or_default(),
        Field::Nature => l.nature.to_string(),
        Field::Amount => l.amount.to_string(),
        Field::AnnualAmount | Field::DurationYears => String::new(),
        Field::LaunchDate => l.launch_date.to_string(),
        Field::Duration => l.duration_months.map(|d| d.to_string()).unwrap_or_default(),
        Field::Service => opt(&l.service),
        Field::Operation => opt(&l.operation),
        Field::Innovative => l.innovative.to_string(),
        Field::Considerations => l
            .considerations
            .iter()
            .map(|d| d.as_str())
            .collect::<Vec<_>>()
            .join("|"),
        Field::CurrentEnd => date(l.current_end_date),
        Field::NeedDate => date(l.need_date),
        Field::SpecificServices => l.specific_services.to_string(),
        Field::Status => l.status.to_string(),
        Field::CentralPurchasingBody => l
            .intermediary
            .as_ref()
            .filter(|i| i.kind == IntermediaryKind::CentralPurchasingBody)
            .map(|i| intermediary_text(&i.name))
            .unwrap_or_default(),
        Field::PurchasingGroup => l
            .intermediary
            .as_ref()
            .filter(|i| i.kind == IntermediaryKind::PurchasingGroup)
            .map(|i| intermediary_text(&i.name))
            .unwrap_or_default(),
        Field::Consultation => l
            .lot
            .as_ref()
            .map(|x| x.consultation.clone())
            .unwrap_or_default(),
        Field::Lot => l
            .lot
            .as_ref()
            .map(|x| x.number.to_string())
            .unwrap_or_default(),
        Field::NoCompetition => l
            .no_competition
            .map(|c| c.as_str().to_string())
            .unwrap_or_default(),
        Field::AwardCriteria => l
            .award_criteria
            .as_deref()
            .map(award_criteria_text)
            .unwrap_or_default(),
        Field::SocialExemption => l
            .social_exemption
            .as_ref()
            .map(|x| x.case.as_str().to_string())
            .unwrap_or_default(),
        Field::SocialExemptionReason => l
            .social_exemption
            .as_ref()
            .map(|x| x.reason.clone())
            .unwrap_or_default(),
        Field::DefenceSecurity => l.defence_security.to_string(),
        Field::Confidential => l.confidential.to_string(),
        Field::Departements => l
            .departements
            .iter()
            .map(|d| d.as_str())
            .collect::<Vec<_>>()
            .join("|"),
        Field::ContractIds => l.contract_ids.join("|"),
    }
}
