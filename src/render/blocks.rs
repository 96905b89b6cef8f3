//! A small document model — headings, paragraphs, lists, tables, figures, sections — built once
//! and written as Markdown ([`crate::render::markdown`]) or HTML ([`crate::render::html`]).

use crate::values::lang::Lang;

/// A run of text inside a paragraph, a list item or a table cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Inline {
    /// Plain text.
    Text(String),
    /// Strong emphasis.
    Strong(String),
    /// Emphasis.
    Em(String),
    /// A link inside the document (`#id`) or to a file; plain text in Markdown for `#` links.
    Link { text: String, href: String },
    /// A line break (`<br>` in both formats: Markdown table cells cannot hold a newline).
    Break,
}

/// Shorthand for [`Inline::Text`].
pub(crate) fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

/// Shorthand for [`Inline::Strong`].
pub(crate) fn strong(s: impl Into<String>) -> Inline {
    Inline::Strong(s.into())
}

/// Shorthand for [`Inline::Em`].
pub(crate) fn em(s: impl Into<String>) -> Inline {
    Inline::Em(s.into())
}

/// A table cell.
pub(crate) type Cell = Vec<Inline>;

/// A table: a caption, header cells, rows; numeric columns are right-aligned.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Table {
    /// Caption (read by screen readers; printed above the table in HTML).
    pub caption: Option<String>,
    /// Column headers.
    pub headers: Vec<String>,
    /// Right-aligned columns.
    pub numeric: Vec<bool>,
    /// Rows of cells (as many as headers).
    pub rows: Vec<Vec<Cell>>,
    /// Column widths in percent of the page (HTML); empty: as the content asks.
    pub widths: Vec<u8>,
}

impl Table {
    /// A table with these headers, no row, nothing right-aligned.
    pub(crate) fn new(headers: Vec<String>) -> Table {
        let numeric = vec![false; headers.len()];
        Table {
            caption: None,
            headers,
            numeric,
            rows: Vec::new(),
            widths: Vec::new(),
        }
    }

    /// Sets the column widths, in percent.
    pub(crate) fn widths(mut self, widths: &[u8]) -> Table {
        self.widths = widths.to_vec();
        self
    }

    /// Sets the caption.
    pub(crate) fn caption(mut self, caption: impl Into<String>) -> Table {
        self.caption = Some(caption.into());
        self
    }

    /// Right-aligns column `i`.
    pub(crate) fn numeric(mut self, i: usize) -> Table {
        if let Some(n) = self.numeric.get_mut(i) {
            *n = true;
        }
        self
    }

    /// Adds a row of plain-text cells.
    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows
            .push(cells.into_iter().map(|c| vec![text(c)]).collect());
    }

    /// Adds a row of rich cells.
    pub(crate) fn rich_row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }
}

/// A chart: its SVG, the file name Markdown refers to, its text alternative and caption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Figure {
    /// File name relative to the Markdown file (`charts/….svg`).
    pub file: String,
    /// The SVG (embedded inline in HTML).
    pub svg: String,
    /// Text alternative: what the chart shows, with its figures.
    pub alt: String,
    /// Caption.
    pub caption: String,
}

/// How a section starts on paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Break {
    /// Flows after what precedes it.
    None,
    /// Starts a new page when printed.
    Page,
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    /// A heading of level 1 to 6 with its anchor id.
    Heading { level: u8, text: String, id: String },
    /// A paragraph.
    Para(Vec<Inline>),
    /// A bulleted list.
    List(Vec<Vec<Inline>>),
    /// A table.
    Table(Table),
    /// A chart.
    Figure(Figure),
    /// A section (a part of the document, a sheet) with its class and page break.
    Section {
        /// CSS class (`part`, `sheet`, `cover`).
        class: &'static str,
        /// Whether it starts a new page.
        brk: Break,
        /// Its blocks.
        blocks: Vec<Block>,
    },
}

/// A document: its language, title and blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Doc {
    /// Language (`lang` of the HTML).
    pub lang: Lang,
    /// Title (`<title>` of the HTML).
    pub title: String,
    /// Blocks.
    pub blocks: Vec<Block>,
}

impl Doc {
    /// Every figure of the document, in order.
    pub(crate) fn figures(&self) -> Vec<&Figure> {
        fn walk<'a>(blocks: &'a [Block], out: &mut Vec<&'a Figure>) {
            for b in blocks {
                match b {
                    Block::Figure(f) => out.push(f),
                    Block::Section { blocks, .. } => walk(blocks, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.blocks, &mut out);
        out
    }
}

/// Moves every heading `by` levels down (at most level 6).
pub(crate) fn shift(blocks: &mut [Block], by: u8) {
    for b in blocks {
        match b {
            Block::Heading { level, .. } => *level = (*level + by).min(6),
            Block::Section { blocks, .. } => shift(blocks, by),
            _ => {}
        }
    }
}

/// An anchor id from a text: lowercase ASCII letters and digits joined by `-` (accents
/// folded), prefixed with `prefix`.
pub(crate) fn anchor(prefix: &str, text: &str) -> String {
    let mut out = String::from(prefix);
    let mut dash = !prefix.is_empty();
    for c in crate::util::text::fold(text).chars() {
        let c = match c {
            'œ' => 'o',
            'æ' => 'a',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_fold_accents_and_join_words_with_dashes() {
        assert_eq!(
            anchor("fiche", "Systèmes d'information"),
            "fiche-systemes-d-information"
        );
        assert_eq!(anchor("", "État des lieux"), "etat-des-lieux");
    }
}
