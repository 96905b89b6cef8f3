//! The columns of a programme spreadsheet: the fields, the headers buyers write for each
//! (the alias table, French and English), the column map for anything else, and how a header
//! row is found and matched.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::programme::files::{is_toml, parse_json, parse_toml, read_text};
use crate::programme::sheet::Cell;
use crate::util::text::excerpt;

/// The fields of a programme line that a column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Field {
    Id,
    Label,
    Family,
    Cpv,
    Nature,
    Amount,
    AnnualAmount,
    LaunchDate,
    Duration,
    DurationYears,
    Service,
    Operation,
    Innovative,
    Considerations,
    CurrentEnd,
    NeedDate,
    SpecificServices,
    Status,
    CentralPurchasingBody,
    PurchasingGroup,
    Consultation,
    Lot,
    NoCompetition,
    AwardCriteria,
    SocialExemption,
    SocialExemptionReason,
    DefenceSecurity,
    Confidential,
    Departements,
    ContractIds,
}

/// Every field with its canonical (English, written by [`crate::Programme::to_csv`]) name, its
/// French name and the header keys that read as it (see [`header_key`]).
pub(crate) const FIELDS: [(Field, &str, &str, &[&str]); 30] = [
    (
        Field::Id,
        "id",
        "identifiant",
        &[
            "id",
            "identifiant",
            "identifier",
            "ref",
            "reference",
            "numero",
            "num",
            "n",
            "no",
            "numero_ligne",
            "n_ligne",
            "line_id",
            "reference_achat",
            "code_achat",
        ],
    ),
    (
        Field::Label,
        "label",
        "libelle",
        &[
            "label",
            "libelle",
            "intitule",
            "objet",
            "designation",
            "objet_marche",
            "objet_achat",
            "intitule_marche",
            "libelle_achat",
            "objet_consultation",
            "title",
        ],
    ),
    (
        Field::Family,
        "family",
        "famille",
        &[
            "family",
            "famille",
            "family_key",
            "code_famille",
            "famille_homogene",
            "famille_achat",
            "famille_achats",
            "nomenclature",
            "code_nomenclature",
            "nomenclature_achat",
            "nomenclature_achats",
            "segment",
            "segment_achat",
            "categorie_achat",
            "purchase_family",
        ],
    ),
    (
        Field::Cpv,
        "cpv",
        "code_cpv",
        &[
            "cpv",
            "code_cpv",
            "cpv_code",
            "cpv_principal",
            "code_cpv_principal",
            "main_cpv",
        ],
    ),
    (
        Field::Nature,
        "nature",
        "nature",
        &[
            "nature",
            "type",
            "type_marche",
            "nature_marche",
            "nature_achat",
            "nature_prestation",
            "nature_prestations",
            "type_achat",
            "type_contrat",
            "contract_type",
        ],
    ),
    (
        Field::Amount,
        "amount_ht",
        "montant_ht",
        &[
            "amount",
            "montant",
            "estimation",
            "budget",
            "valeur",
            "cout",
            "montant_marche",
            "montant_achat",
            "montant_besoin",
            "value",
        ],
    ),
    (
        Field::AnnualAmount,
        "annual_amount_ht",
        "montant_annuel_ht",
        &[
            "annual_amount",
            "montant_annuel",
            "estimation_annuelle",
            "budget_annuel",
            "valeur_annuelle",
            "cout_annuel",
            "montant_par_an",
            "montant_an",
        ],
    ),
    (
        Field::LaunchDate,
        "launch_date",
        "date_lancement",
        &[
            "launch_date",
            "launch",
            "date_lancement",
            "lancement",
            "date_publication",
            "publication",
            "date_lancement_consultation",
            "date_publication_avis",
            "date_consultation",
        ],
    ),
    (
        Field::Duration,
        "duration_months",
        "duree_mois",
        &[
            "duration_months",
            "duration",
            "duree",
            "duree_mois",
            "duree_marche",
            "duree_marche_mois",
            "duree_contrat",
            "duree_contrat_mois",
            "contract_duration",
        ],
    ),
    (
        Field::DurationYears,
        "duration_years",
        "duree_annees",
        &[
            "duration_years",
            "duree_annees",
            "duree_annee",
            "duree_ans",
            "duree_an",
            "duree_marche_annees",
            "duree_marche_ans",
            "duree_contrat_annees",
        ],
    ),
    (
        Field::Service,
        "service",
        "service",
        &[
            "service",
            "service_demandeur",
            "service_prescripteur",
            "prescribing_service",
            "requesting_service",
            "direction",
            "direction_prescriptrice",
            "direction_demandeuse",
            "direction_service",
            "service_beneficiaire",
            "pole",
        ],
    ),
    (
        Field::Operation,
        "operation",
        "operation",
        &[
            "operation",
            "operation_travaux",
            "code_operation",
            "works_operation",
        ],
    ),
    (
        Field::Innovative,
        "innovative",
        "innovant",
        &[
            "innovative",
            "innovant",
            "innovation",
            "achat_innovant",
            "marche_innovant",
        ],
    ),
    (
        Field::Considerations,
        "considerations",
        "considerations",
        &["considerations"],
    ),
    (
        Field::CurrentEnd,
        "current_end_date",
        "date_fin_actuelle",
        &[
            "current_end_date",
            "date_fin_actuelle",
            "fin_actuelle",
            "date_fin_marche_actuel",
            "fin_marche_actuel",
            "date_fin_marche_cours",
            "date_fin_contrat_actuel",
            "echeance",
            "date_echeance",
            "echeance_marche",
            "echeance_marche_actuel",
            "echeance_marche_cours",
            "date_fin",
            "fin_marche",
        ],
    ),
    (
        Field::NeedDate,
        "need_date",
        "date_besoin",
        &[
            "need_date",
            "needed_by",
            "date_besoin",
            "besoin",
            "date_mise_disposition",
            "date_demarrage_souhaitee",
            "date_debut_souhaitee",
            "date_debut_execution",
            "date_notification_souhaitee",
            "date_souhaitee",
        ],
    ),
    (
        Field::SpecificServices,
        "specific_services",
        "services_specifiques",
        &[
            "specific_services",
            "services_specifiques",
            "services_sociaux_specifiques",
        ],
    ),
    (
        Field::Status,
        "status",
        "statut",
        &[
            "status",
            "state",
            "statut",
            "etat",
            "avancement",
            "etat_avancement",
            "statut_achat",
        ],
    ),
    (
        Field::CentralPurchasingBody,
        "central_purchasing_body",
        "centrale_achat",
        &[
            "central_purchasing_body",
            "centrale_achat",
            "centrale_achats",
            "centrale",
            "via_centrale",
            "ugap",
        ],
    ),
    (
        Field::PurchasingGroup,
        "purchasing_group",
        "groupement_commandes",
        &[
            "purchasing_group",
            "groupement",
            "groupement_commandes",
            "groupement_commande",
            "via_groupement",
        ],
    ),
    (
        Field::Consultation,
        "consultation",
        "consultation",
        &[
            "consultation",
            "numero_consultation",
            "n_consultation",
            "reference_consultation",
            "consultation_id",
        ],
    ),
    (
        Field::Lot,
        "lot",
        "lot",
        &[
            "lot",
            "numero_lot",
            "n_lot",
            "lot_n",
            "lot_number",
            "lot_no",
        ],
    ),
    (
        Field::NoCompetition,
        "no_competition_case",
        "cas_sans_mise_en_concurrence",
        &[
            "no_competition_case",
            "no_competition",
            "cas_sans_mise_concurrence",
            "sans_mise_concurrence",
            "cas_sans_publicite_ni_mise_concurrence",
            "sans_publicite_ni_mise_concurrence",
            "motif_sans_publicite_ni_mise_concurrence",
            "spmc",
            "motif_spmc",
        ],
    ),
    (
        Field::AwardCriteria,
        "award_criteria",
        "criteres_attribution",
        &[
            "award_criteria",
            "criteres_attribution",
            "criteres",
            "criteres_jugement",
            "criteres_choix",
        ],
    ),
    (
        Field::SocialExemption,
        "social_exemption",
        "exemption_sociale",
        &[
            "social_exemption",
            "exemption_sociale",
            "derogation_sociale",
            "exception_sociale",
        ],
    ),
    (
        Field::SocialExemptionReason,
        "social_exemption_reason",
        "motif_exemption_sociale",
        &[
            "social_exemption_reason",
            "motif_exemption_sociale",
            "justification_exemption_sociale",
            "raison_exemption_sociale",
        ],
    ),
    (
        Field::DefenceSecurity,
        "defence_security",
        "defense_securite",
        &[
            "defence_security",
            "defense_security",
            "defense_securite",
            "marche_defense_securite",
            "defense",
            "defence",
        ],
    ),
    (
        Field::Confidential,
        "confidential",
        "confidentiel",
        &["confidential", "confidentiel", "non_publiable", "secret"],
    ),
    (
        Field::Departements,
        "departements",
        "departements",
        &[
            "departements",
            "departement",
            "departements_execution",
            "departement_execution",
            "lieu_execution",
            "lieu_execution_departement",
            "place_performance",
        ],
    ),
    (
        Field::ContractIds,
        "contract_ids",
        "identifiants_marches",
        &[
            "contract_ids",
            "contract_id",
            "identifiants_marches",
            "identifiant_marche",
            "numero_marche",
            "n_marche",
            "id_marche",
            "marches_attribues",
            "decp_id",
        ],
    ),
];

/// Header keys that read as one of two fields, decided by the column's content: `Catégorie`
/// holds natures (`travaux`, `fournitures`…) in some files and families in others.
pub(crate) const AMBIGUOUS: [(&str, Field, Field); 2] = [
    ("categorie", Field::Nature, Field::Family),
    ("category", Field::Nature, Field::Family),
];

/// Words dropped from headers before comparing them: articles, prepositions and conjunctions, the tax and
/// currency marks (`HT`, `hors taxes`, `€`, `EUR`) and the qualifiers of planning
/// (`prévisionnel`, `prévu`, `estimé`, `total`).
const NOISE: &[&str] = &[
    "de",
    "du",
    "des",
    "d",
    "la",
    "le",
    "les",
    "l",
    "en",
    "a",
    "au",
    "aux",
    "et",
    "ou",
    "and",
    "or",
    "the",
    "of",
    "in",
    "ht",
    "h",
    "t",
    "hors",
    "taxe",
    "taxes",
    "eur",
    "euro",
    "euros",
    "previsionnel",
    "previsionnelle",
    "previsionnels",
    "prevu",
    "prevue",
    "prevus",
    "prevues",
    "estime",
    "estimee",
    "estimatif",
    "estimative",
    "total",
    "totale",
    "global",
    "globale",
    "planned",
    "estimated",
];

/// Lowercase ASCII form of a character, accents removed (Latin-1 and œ, æ); other
/// characters unchanged.
pub(crate) fn fold_char(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        c => c.to_ascii_lowercase(),
    }
}

/// The words of a text, folded (case and accents, `œ` as `oe`), split on everything that is
/// not a letter or a digit.
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        let pieces: &[char] = match c {
            'œ' | 'Œ' => &['o', 'e'],
            'æ' | 'Æ' => &['a', 'e'],
            _ => &[],
        };
        if !pieces.is_empty() {
            cur.extend(pieces);
            continue;
        }
        let f = fold_char(c);
        if f.is_ascii_alphanumeric() {
            cur.push(f);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The key a header is compared by: its folded words without the [`NOISE`] words, joined by
/// `_` (`Date prévisionnelle de lancement` → `date_lancement`, `Montant HT (€)` → `montant`,
/// `N°` → `n`). A header made only of noise words keeps them.
pub(crate) fn header_key(header: &str) -> String {
    let all = words(header);
    let kept: Vec<&str> = all
        .iter()
        .map(String::as_str)
        .filter(|w| !NOISE.contains(w))
        .collect();
    if kept.is_empty() {
        all.join("_")
    } else {
        kept.join("_")
    }
}

/// The field a header key reads as by the alias table (not the ambiguous keys).
pub(crate) fn field_of_key(key: &str) -> Option<Field> {
    FIELDS
        .iter()
        .find(|(_, canon, fr, aliases)| {
            aliases.contains(&key) || *canon == key || header_key(fr) == key
        })
        .map(|(f, ..)| *f)
}

/// The field of a canonical (English) or French field name.
pub(crate) fn field_named(name: &str) -> Option<Field> {
    let k = name.trim().to_ascii_lowercase();
    FIELDS
        .iter()
        .find(|(_, canon, fr, _)| *canon == k || *fr == k)
        .map(|(f, ..)| *f)
}

/// The canonical (English) name of a field.
pub(crate) fn canonical(field: Field) -> &'static str {
    FIELDS
        .iter()
        .find(|(f, ..)| *f == field)
        .map_or("", |(_, n, ..)| n)
}

/// The French name of a field.
pub(crate) fn french(field: Field) -> &'static str {
    FIELDS
        .iter()
        .find(|(f, ..)| *f == field)
        .map_or("", |(_, _, n, _)| n)
}

/// The header keys of a field (its aliases), for messages.
pub(crate) fn aliases(field: Field) -> &'static [&'static str] {
    FIELDS
        .iter()
        .find(|(f, ..)| *f == field)
        .map_or(&[], |(.., a)| a)
}

/// What the column map says of a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mapped {
    /// The column holds this field.
    Field(Field),
    /// The column is not used, on purpose (no warning).
    Ignore,
}

/// A mapping of the buyer's own headers to the programme's fields, for the headers the alias
/// table does not know (or reads otherwise).
///
/// Keys are headers as written in the file (compared like the aliases: case, accents,
/// punctuation and the noise words `de`, `HT`, `€`, `prévisionnel`… do not matter); values are
/// the canonical field names (`id`, `label`, `family`, `cpv`, `nature`, `amount_ht`,
/// `annual_amount_ht`, `launch_date`, `duration_months`, `duration_years`, `service`,
/// `operation`, `innovative`, `considerations`, `current_end_date`, `need_date`,
/// `specific_services`, `status`, `central_purchasing_body`, `purchasing_group`,
/// `consultation`, `lot`, `no_competition_case`, `award_criteria`, `social_exemption`,
/// `social_exemption_reason`, `defence_security`, `confidential`, `departements`,
/// `contract_ids`), their French names (`montant_ht`, `date_lancement`…), or `ignore` for a
/// column that is not used on purpose (it is then not reported as unused).
///
/// File form (JSON, or TOML with the `toml` feature), a flat table:
///
/// ```json
/// {"Coût estimé (k€)": "ignore", "Réf. interne": "id", "Besoin exprimé": "label"}
/// ```
///
/// ```
/// use spaser::ColumnMap;
/// let map = ColumnMap::from_json(r#"{"Réf. interne": "id", "Commentaires": "ignore"}"#)?;
/// assert_eq!(map.len(), 2);
/// assert!(ColumnMap::from_json(r#"{"X": "prix"}"#).is_err()); // not a field name
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    try_from = "BTreeMap<String, String>",
    into = "BTreeMap<String, String>"
)]
pub struct ColumnMap {
    /// Header as written → field name as written.
    entries: BTreeMap<String, String>,
    /// Header key → what it maps to.
    keys: BTreeMap<String, Mapped>,
}

impl ColumnMap {
    /// An empty map.
    pub fn new() -> ColumnMap {
        ColumnMap::default()
    }

    /// Maps `header` to the field `field` (a canonical or French field name, or `ignore`).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when `field` is not a field name, listing the names;
    /// [`ErrorKind::Missing`] when `header` is blank.
    ///
    /// ```
    /// let map = spaser::ColumnMap::new().map("Coût TTC", "ignore")?.map("Réf.", "id")?;
    /// assert_eq!(map.len(), 2);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn map(mut self, header: &str, field: &str) -> Result<ColumnMap> {
        let key = header_key(header);
        if key.is_empty() {
            return Err(Error::new(
                ErrorKind::Missing,
                format!(
                    "column map: header \"{}\" is blank once folded",
                    excerpt(header)
                ),
            ));
        }
        let mapped = if field.trim().eq_ignore_ascii_case("ignore") {
            Mapped::Ignore
        } else {
            Mapped::Field(field_named(field).ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "column map, header \"{}\": field \"{}\" is unknown; accepted: {}, ignore",
                        excerpt(header),
                        excerpt(field),
                        FIELDS.map(|(_, n, ..)| n).join(", ")
                    ),
                )
            })?)
        };
        self.entries.insert(header.to_string(), field.to_string());
        self.keys.insert(key, mapped);
        Ok(self)
    }

    /// The number of headers mapped.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Reads a map from JSON (a flat object, header → field).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] for malformed JSON or a value that is not a string (with line and
    /// column); errors of [`ColumnMap::map`].
    pub fn from_json(json: &str) -> Result<ColumnMap> {
        let m: BTreeMap<String, String> = parse_json(json, "column map")?;
        ColumnMap::try_from(m)
    }

    /// Reads a map from TOML (`"Réf. interne" = "id"`, one line per header).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] for malformed TOML or a value that is not a string; errors of
    /// [`ColumnMap::map`].
    ///
    /// ```
    /// let map = spaser::ColumnMap::from_toml("\"Réf. interne\" = \"id\"\n")?;
    /// assert_eq!(map.len(), 1);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    #[cfg(feature = "toml")]
    pub fn from_toml(text: &str) -> Result<ColumnMap> {
        let m: BTreeMap<String, String> = parse_toml(text, "column map")?;
        ColumnMap::try_from(m)
    }

    /// Reads a map from a file: TOML when its name ends in `.toml` (feature `toml`), JSON
    /// otherwise.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] when the file cannot be read; errors of [`ColumnMap::from_json`] or
    /// `ColumnMap::from_toml`, prefixed with the file name.
    pub fn from_path(path: impl AsRef<Path>) -> Result<ColumnMap> {
        let path = path.as_ref();
        let text = read_text(path)?;
        let m: BTreeMap<String, String> = if is_toml(path) {
            parse_toml(&text, "column map")
        } else {
            parse_json(&text, "column map")
        }
        .map_err(|e| e.context(path.display()))?;
        ColumnMap::try_from(m).map_err(|e| e.context(path.display()))
    }

    /// What the map says of a header.
    pub(crate) fn lookup(&self, header: &str) -> Option<Mapped> {
        self.keys.get(&header_key(header)).copied()
    }
}

impl TryFrom<BTreeMap<String, String>> for ColumnMap {
    type Error = Error;
    fn try_from(m: BTreeMap<String, String>) -> Result<ColumnMap> {
        m.iter()
            .try_fold(ColumnMap::new(), |acc, (h, f)| acc.map(h, f))
    }
}

impl From<ColumnMap> for BTreeMap<String, String> {
    fn from(m: ColumnMap) -> BTreeMap<String, String> {
        m.entries
    }
}

/// The fields the cells of a header row read as (by the map first, then the alias table;
/// ambiguous keys count as matching).
pub(crate) fn header_score(cells: &[Cell], map: Option<&ColumnMap>) -> usize {
    cells
        .iter()
        .filter(|c| {
            let t = c.text();
            if t.is_empty() {
                return false;
            }
            if let Some(Mapped::Field(_)) = map.and_then(|m| m.lookup(&t)) {
                return true;
            }
            let k = header_key(&t);
            field_of_key(&k).is_some() || AMBIGUOUS.iter().any(|(a, ..)| *a == k)
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_fold_case_accents_punctuation_and_noise_words() {
        let f = |h: &str| field_of_key(&header_key(h));
        assert_eq!(f("Libellé"), Some(Field::Label));
        assert_eq!(f("Montant HT"), Some(Field::Amount));
        assert_eq!(f("Montant HT (€)"), Some(Field::Amount));
        assert_eq!(f("Estimation H.T."), Some(Field::Amount));
        assert_eq!(f("Montant TTC"), None);
        assert_eq!(f("Date de lancement"), Some(Field::LaunchDate));
        assert_eq!(
            f("Date prévisionnelle de lancement"),
            Some(Field::LaunchDate)
        );
        assert_eq!(f("Date de publication prévue"), Some(Field::LaunchDate));
        assert_eq!(f("Date fin actuelle"), Some(Field::CurrentEnd));
        assert_eq!(f("Date de fin du marché actuel"), Some(Field::CurrentEnd));
        assert_eq!(f("Durée (mois)"), Some(Field::Duration));
        assert_eq!(f("Durée en années"), Some(Field::DurationYears));
        assert_eq!(f("N°"), Some(Field::Id));
        assert_eq!(f("Famille d'achat"), Some(Field::Family));
        assert_eq!(f("Code CPV principal"), Some(Field::Cpv));
        assert_eq!(f("Objet du marché"), Some(Field::Label));
        assert_eq!(f("Service demandeur"), Some(Field::Service));
        assert_eq!(f("Type de marché"), Some(Field::Nature));
        assert_eq!(f("Montant total HT"), Some(Field::Amount));
        assert_eq!(f("Budget prévisionnel"), Some(Field::Amount));
        assert_eq!(f("Montant annuel HT"), Some(Field::AnnualAmount));
        assert_eq!(f("commentaire"), None);
        for (field, canon, fr, _) in FIELDS {
            assert_eq!(f(canon), Some(field), "{canon}");
            assert_eq!(f(fr), Some(field), "{fr}");
        }
    }

    #[test]
    fn no_alias_reads_as_two_fields() {
        let mut seen: BTreeMap<String, Field> = BTreeMap::new();
        for (field, canon, fr, aliases) in FIELDS {
            let keys = aliases
                .iter()
                .map(|a| a.to_string())
                .chain([header_key(canon), header_key(fr)]);
            for k in keys {
                if let Some(prev) = seen.insert(k.clone(), field) {
                    assert_eq!(prev, field, "{k} reads as {prev:?} and {field:?}");
                }
                assert_eq!(header_key(&k), k, "alias {k} is not in key form");
            }
        }
    }
}
