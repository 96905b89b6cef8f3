//! Markdown (CommonMark with GitHub tables) from the document model.

use std::fmt::Write as _;

use crate::render::blocks::{Block, Doc, Figure, Inline, Table};

/// Escapes the characters Markdown would read as markup.
fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
}

fn inlines(items: &[Inline], out: &mut String) {
    for i in items {
        match i {
            Inline::Text(s) => escape(s, out),
            Inline::Strong(s) => {
                out.push_str("**");
                escape(s, out);
                out.push_str("**");
            }
            Inline::Em(s) => {
                out.push('*');
                escape(s, out);
                out.push('*');
            }
            Inline::Link { text, href } => {
                if href.starts_with('#') {
                    escape(text, out);
                } else {
                    out.push('[');
                    escape(text, out);
                    let _ = write!(out, "]({href})");
                }
            }
            Inline::Break => out.push_str("<br>"),
        }
    }
}

fn table(t: &Table, out: &mut String) {
    if let Some(c) = &t.caption {
        out.push_str("**");
        escape(c, out);
        out.push_str("**\n\n");
    }
    out.push('|');
    for h in &t.headers {
        out.push(' ');
        escape(h, out);
        out.push_str(" |");
    }
    out.push_str("\n|");
    for (i, _) in t.headers.iter().enumerate() {
        out.push_str(if t.numeric.get(i).copied().unwrap_or(false) {
            "---:|"
        } else {
            "---|"
        });
    }
    out.push('\n');
    for r in &t.rows {
        out.push('|');
        for c in r {
            out.push(' ');
            inlines(c, out);
            out.push_str(" |");
        }
        out.push('\n');
    }
    out.push('\n');
}

fn figure(f: &Figure, out: &mut String) {
    out.push_str("![");
    escape(&f.alt, out);
    let _ = writeln!(out, "]({})\n", f.file);
    out.push('*');
    escape(&f.caption, out);
    out.push_str("*\n\n");
}

fn blocks(bs: &[Block], out: &mut String) {
    for b in bs {
        match b {
            Block::Heading { level, text, .. } => {
                for _ in 0..*level {
                    out.push('#');
                }
                out.push(' ');
                escape(text, out);
                out.push_str("\n\n");
            }
            Block::Para(items) => {
                inlines(items, out);
                out.push_str("\n\n");
            }
            Block::List(items) => {
                for item in items {
                    out.push_str("- ");
                    inlines(item, out);
                    out.push('\n');
                }
                out.push('\n');
            }
            Block::Table(t) => table(t, out),
            Block::Figure(f) => figure(f, out),
            Block::Section { blocks: inner, .. } => blocks(inner, out),
        }
    }
}

/// The document in Markdown; charts are referenced by their file names.
pub(crate) fn write(doc: &Doc) -> String {
    let mut out = String::with_capacity(16 * 1024);
    blocks(&doc.blocks, &mut out);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
