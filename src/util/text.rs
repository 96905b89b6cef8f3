//! Text folding shared by the readers of French spreadsheets and codes.

/// Case-, accent- and apostrophe-insensitive key for DECP strings.
pub(crate) fn fold(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'É' | 'È' | 'Ê' => 'e',
            'à' | 'â' | 'À' | 'Â' => 'a',
            'î' | 'ï' => 'i',
            'ô' => 'o',
            'û' | 'ù' => 'u',
            'ç' => 'c',
            '’' | '‘' | '`' => '\'',
            '\u{a0}' => ' ',
            c => c.to_ascii_lowercase(),
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The most characters of a value an error or warning message quotes.
pub(crate) const MAX_QUOTED: usize = 80;

/// At most [`MAX_QUOTED`] characters of `text` (cut on a character boundary, `…` appended
/// when cut), for quoting a value in a message: a 10 MB cell is never echoed whole.
pub(crate) fn excerpt(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_QUOTED) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..cut])),
    }
}

/// Edit distance (Levenshtein, on characters) between `a` and `b`.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The (at most `n`) known ids closest to `id` by edit distance, closest first (ties in the
/// order given), for "did you mean" messages: `"ins-work"` → `"ins-works"`.
pub(crate) fn closest<'a>(
    id: &str,
    known: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let mut scored: Vec<(usize, usize, &str)> = known
        .into_iter()
        .enumerate()
        .map(|(i, k)| (edit_distance(id, k), i, k))
        .collect();
    scored.sort_unstable();
    scored.into_iter().take(n).map(|(_, _, k)| k).collect()
}

/// `"a", "b" or "c"` for a message (empty when none).
pub(crate) fn quoted_list(ids: &[&str]) -> String {
    let q: Vec<String> = ids.iter().map(|s| format!("\"{}\"", excerpt(s))).collect();
    match q.len() {
        0 => String::new(),
        1 => q[0].clone(),
        n => format!("{} or {}", q[..n - 1].join(", "), q[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_cuts_long_values_on_a_character_boundary() {
        assert_eq!(excerpt("court"), "court");
        let long = "é".repeat(200);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), MAX_QUOTED + 1);
        assert!(e.ends_with('…'));
        assert_eq!(excerpt(&"a".repeat(80)), "a".repeat(80));
    }

    #[test]
    fn closest_ids_come_by_edit_distance() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        let known = ["ins-works", "ins-cleaning", "energy-works"];
        assert_eq!(closest("ins-work", known, 2), ["ins-works", "energy-works"]);
        assert_eq!(quoted_list(&["a", "b", "c"]), "\"a\", \"b\" or \"c\"");
    }
}
