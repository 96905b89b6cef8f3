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
}
