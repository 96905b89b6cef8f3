//! French text normalisation and a token/trigram similarity for contract objects.
//!
//! Objects of planned lines and awarded contracts are folded (accents, case, ligatures,
//! apostrophes), split into words, stripped of French stop words, pure numbers and lot
//! markers, and lightly stemmed (a plural `s` or `x` removed). Two measures are combined:
//! a token overlap weighted by rarity (a word shared by few objects says more than
//! "fourniture") and a trigram overlap on the normalised text (robust to typos, abbreviations
//! and derived forms: "nettoyage" / "nettoiement"). No model, no training: deterministic.

use crate::util::hash::FastMap;

/// French function words and procurement boilerplate that carry no subject.
const STOP_WORDS: &[&str] = &[
    "a",
    "afin",
    "au",
    "aux",
    "avec",
    "ce",
    "ces",
    "cette",
    "chez",
    "contre",
    "d",
    "dans",
    "de",
    "des",
    "du",
    "en",
    "entre",
    "est",
    "et",
    "hors",
    "l",
    "la",
    "le",
    "les",
    "leur",
    "leurs",
    "n",
    "ni",
    "notamment",
    "ou",
    "par",
    "pour",
    "qu",
    "que",
    "qui",
    "s",
    "sa",
    "se",
    "ses",
    "son",
    "sur",
    "un",
    "une",
    "y", // function words
    "accord",
    "cadre",
    "concernant",
    "contrat",
    "lot",
    "lots",
    "marche",
    "objet",
    "relatif",
    "relative",
    "relatifs",
    "relatives",
    "n°",
    "no",
    "num", // boilerplate
];

/// Folds one character: lowercase ASCII, accents removed, ligatures expanded; anything that
/// is not a letter or digit becomes a separator (`None`).
fn fold_char(c: char, out: &mut String) {
    let s: &str = match c {
        'a'..='z' | '0'..='9' => {
            out.push(c);
            return;
        }
        'A'..='Z' => {
            out.push(c.to_ascii_lowercase());
            return;
        }
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'À' | 'Â' | 'Ä' | 'Á' => "a",
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
        'î' | 'ï' | 'í' | 'Î' | 'Ï' => "i",
        'ô' | 'ö' | 'ó' | 'Ô' | 'Ö' => "o",
        'û' | 'ù' | 'ü' | 'ú' | 'Û' | 'Ù' | 'Ü' => "u",
        'ÿ' | 'Ÿ' => "y",
        'ç' | 'Ç' => "c",
        'ñ' | 'Ñ' => "n",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        _ => " ",
    };
    out.push_str(s);
}

/// The normalised words of `text`: folded, stop words, numbers and one-letter words removed,
/// plurals made singular ([`singular`]). Order kept.
///
/// ```text
/// assert_eq!(words("Fournitures de bureau – Lot n°2"), ["fourniture", "bureau"]);
/// ```
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut folded);
    }
    folded
        .split(' ')
        .filter(|w| w.len() > 1 && !w.bytes().all(|b| b.is_ascii_digit()))
        .filter(|w| !STOP_WORDS.contains(w))
        .map(singular)
        .collect()
}

/// A light French singular: `-eaux`/`-eux` → `-eau`/`-eu` (bureaux, jeux), `-aux` → `-al`
/// (locaux, généraux), a final `s` dropped from words of more than three letters.
fn singular(w: &str) -> String {
    if w.len() >= 4 && (w.ends_with("eaux") || w.ends_with("eux")) {
        return w[..w.len() - 1].to_string();
    }
    if w.len() > 4 && w.ends_with("aux") {
        return format!("{}al", &w[..w.len() - 3]);
    }
    if w.len() > 3 && w.ends_with('s') {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

/// A text prepared for comparison: its word ids (sorted, unique) and its trigram hashes
/// (sorted, unique).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Prepared {
    pub(crate) tokens: Vec<u32>,
    pub(crate) trigrams: Vec<u32>,
}

/// Interns words to ids and keeps their document frequencies, so that word weights (inverse
/// document frequency) are known once every text of a linking run is prepared.
#[derive(Debug, Default)]
pub(crate) struct Vocabulary {
    ids: FastMap<String, u32>,
    words: Vec<String>,
    df: Vec<u32>,
    docs: u32,
    weights: Vec<f64>,
}

/// FNV-1a over three folded bytes: the trigram's key.
fn trigram_hash(a: u8, b: u8, c: u8) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for x in [a, b, c] {
        h ^= u32::from(x);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

impl Vocabulary {
    /// Prepares `text`, counting its words once for the document frequencies.
    pub(crate) fn prepare(&mut self, text: &str) -> Prepared {
        let ws = words(text);
        let mut tokens: Vec<u32> = ws
            .iter()
            .map(|w| match self.ids.get(w.as_str()) {
                Some(&id) => id,
                None => {
                    let id = u32::try_from(self.df.len()).unwrap_or(u32::MAX);
                    self.ids.insert(w.clone(), id);
                    self.words.push(w.clone());
                    self.df.push(0);
                    id
                }
            })
            .collect();
        tokens.sort_unstable();
        tokens.dedup();
        for &t in &tokens {
            if let Some(d) = self.df.get_mut(t as usize) {
                *d += 1;
            }
        }
        self.docs += 1;
        // trigrams of the words joined by one blank, padded with blanks
        let mut joined = Vec::with_capacity(text.len() + 2);
        joined.push(b' ');
        for (i, w) in ws.iter().enumerate() {
            if i > 0 {
                joined.push(b' ');
            }
            joined.extend_from_slice(w.as_bytes());
        }
        joined.push(b' ');
        let mut trigrams: Vec<u32> = joined
            .windows(3)
            .map(|w| trigram_hash(w[0], w[1], w[2]))
            .collect();
        trigrams.sort_unstable();
        trigrams.dedup();
        Prepared { tokens, trigrams }
    }

    /// Computes the word weights: `ln(1 + documents / frequency)`. Call once every text is
    /// prepared.
    pub(crate) fn finish(&mut self) {
        let n = f64::from(self.docs.max(1));
        self.weights = self
            .df
            .iter()
            .map(|&d| (1.0 + n / f64::from(d.max(1))).ln())
            .collect();
    }

    /// The number of texts prepared.
    pub(crate) fn documents(&self) -> u32 {
        self.docs
    }

    /// The document frequency of a word id.
    pub(crate) fn frequency(&self, token: u32) -> u32 {
        self.df.get(token as usize).copied().unwrap_or(0)
    }

    fn weight(&self, token: u32) -> f64 {
        self.weights.get(token as usize).copied().unwrap_or(1.0)
    }

    /// The weight sum of a prepared text's words (cached by the caller).
    pub(crate) fn mass(&self, p: &Prepared) -> f64 {
        p.tokens.iter().map(|&t| self.weight(t)).sum()
    }

    /// The word of an id (for the reasons of a link).
    pub(crate) fn word(&self, token: u32) -> Option<&str> {
        self.words.get(token as usize).map(String::as_str)
    }

    /// Similarity of two prepared texts in 0..=1: the mean of the weighted word overlap
    /// (Dice: twice the weight of the shared words over the weights of both) and the trigram
    /// overlap (Dice). `mass_a` and `mass_b` are [`Vocabulary::mass`] of each.
    pub(crate) fn similarity(&self, a: &Prepared, mass_a: f64, b: &Prepared, mass_b: f64) -> f64 {
        let mut shared = 0.0;
        let (mut i, mut j) = (0, 0);
        while i < a.tokens.len() && j < b.tokens.len() {
            match a.tokens[i].cmp(&b.tokens[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += self.weight(a.tokens[i]);
                    i += 1;
                    j += 1;
                }
            }
        }
        let words = if mass_a + mass_b > 0.0 {
            2.0 * shared / (mass_a + mass_b)
        } else {
            0.0
        };
        let tri = dice(&a.trigrams, &b.trigrams);
        ((words + tri) / 2.0).clamp(0.0, 1.0)
    }

    /// The words two prepared texts share, rarest first, at most `n`.
    pub(crate) fn shared_words(&self, a: &Prepared, b: &Prepared, n: usize) -> Vec<String> {
        let mut common: Vec<u32> = a
            .tokens
            .iter()
            .copied()
            .filter(|t| b.tokens.binary_search(t).is_ok())
            .collect();
        common.sort_by(|x, y| {
            self.frequency(*x)
                .cmp(&self.frequency(*y))
                .then_with(|| self.word(*x).cmp(&self.word(*y)))
        });
        common
            .into_iter()
            .take(n)
            .filter_map(|t| self.word(t).map(str::to_string))
            .collect()
    }
}

/// Dice coefficient of two sorted, unique lists.
fn dice(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut n) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * n as f64 / (a.len() + b.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_accents_case_stop_words_numbers_and_plurals() {
        assert_eq!(
            words("Fournitures de BUREAU – Lot n°2 (2026)"),
            ["fourniture", "bureau"]
        );
        assert_eq!(
            words("Entretien des espaces verts : cimetières"),
            ["entretien", "espace", "vert", "cimetiere"]
        );
        assert_eq!(words("Maîtrise d’œuvre"), ["maitrise", "oeuvre"]);
        assert!(words("").is_empty());
    }

    #[test]
    fn similar_objects_score_higher_than_unrelated_ones() {
        let mut v = Vocabulary::default();
        let a = v.prepare("Nettoyage des locaux administratifs");
        let b = v.prepare("Prestations de nettoyage des locaux de l'hôtel de ville");
        let c = v.prepare("Fourniture de mobilier scolaire");
        v.finish();
        let (ma, mb, mc) = (v.mass(&a), v.mass(&b), v.mass(&c));
        let ab = v.similarity(&a, ma, &b, mb);
        let ac = v.similarity(&a, ma, &c, mc);
        assert!(ab > 0.4 && ac < 0.15, "{ab} {ac}");
        assert!((v.similarity(&a, ma, &a, ma) - 1.0).abs() < 1e-12);
        assert_eq!(v.shared_words(&a, &b, 5), ["local", "nettoyage"]);
        assert_eq!(
            words("bureaux jeux travaux prix"),
            ["bureau", "jeu", "traval", "prix"]
        );
    }
}
