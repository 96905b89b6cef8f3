//! One self-contained HTML file from the document model: inline CSS, inline SVG, no script and
//! no external resource; print-ready on A4 (each part and each sheet starts a page, table
//! headers repeat on every page, rows and charts are not split); accessible (the document's
//! `lang`, headings in order, `<th scope>`, captions, text alternatives of charts).

use std::fmt::Write as _;

use crate::render::blocks::{Block, Break, Doc, Figure, Inline, Table};

/// The style sheet, inline in `<head>`.
const CSS: &str = "\
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif; font-size: 10pt; line-height: 1.4; color: #1b1b1b; margin: 0; }
main { max-width: 180mm; margin: 0 auto; }
h1 { font-size: 20pt; color: #123c69; margin: 0 0 0.4em; line-height: 1.2; }
h2 { font-size: 15pt; color: #123c69; border-bottom: 2px solid #123c69; padding-bottom: 2px; margin: 0.2em 0 0.6em; }
h3 { font-size: 12pt; color: #123c69; margin: 1.1em 0 0.4em; }
h4 { font-size: 11pt; margin: 0.9em 0 0.3em; }
h5 { font-size: 10.5pt; color: #123c69; margin: 0.9em 0 0.3em; }
h6 { font-size: 10pt; margin: 0.8em 0 0.3em; }
section.sheet > :first-child { font-size: 15pt; color: #123c69; border-bottom: 2px solid #123c69; padding-bottom: 2px; margin-top: 0.2em; }
h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; }
p, li { orphans: 3; widows: 3; }
p { margin: 0.4em 0 0.6em; }
ul { margin: 0.3em 0 0.7em; padding-left: 1.3em; }
table { border-collapse: collapse; width: 100%; margin: 0.4em 0 1em; font-size: 8.5pt; }
table.fixed { table-layout: fixed; }
caption { caption-side: top; text-align: left; font-weight: bold; padding: 0 0 3px; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #9aa5b1; padding: 3px 5px; vertical-align: top; text-align: left; overflow-wrap: break-word; hyphens: auto; }
th { background: #e4ebf2; font-weight: bold; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
figure { margin: 0.6em 0 1em; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; max-width: 160mm; height: auto; display: block; }
figcaption { font-size: 8.5pt; color: #444; margin-top: 2px; }
section.break { break-before: page; page-break-before: always; }
section.cover h1 { font-size: 24pt; margin-top: 30mm; }
section.cover p.subtitle { font-size: 13pt; color: #123c69; }
nav ol { padding-left: 1.3em; }
a { color: #123c69; }
@media screen { main { padding: 1em 1.5em 4em; } section.break { border-top: 1px dashed #bbb; margin-top: 2em; padding-top: 1em; } }
";

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn inlines(items: &[Inline], out: &mut String) {
    for i in items {
        match i {
            Inline::Text(s) => escape(s, out),
            Inline::Strong(s) => {
                out.push_str("<strong>");
                escape(s, out);
                out.push_str("</strong>");
            }
            Inline::Em(s) => {
                out.push_str("<em>");
                escape(s, out);
                out.push_str("</em>");
            }
            Inline::Link { text, href } => {
                out.push_str("<a href=\"");
                escape(href, out);
                out.push_str("\">");
                escape(text, out);
                out.push_str("</a>");
            }
            Inline::Break => out.push_str("<br>"),
        }
    }
}

fn table(t: &Table, out: &mut String) {
    out.push_str(if t.widths.is_empty() {
        "<table>\n"
    } else {
        "<table class=\"fixed\">\n"
    });
    if let Some(c) = &t.caption {
        out.push_str("<caption>");
        escape(c, out);
        out.push_str("</caption>\n");
    }
    if !t.widths.is_empty() {
        out.push_str("<colgroup>");
        for w in &t.widths {
            let _ = write!(out, "<col style=\"width: {w}%\">");
        }
        out.push_str("</colgroup>\n");
    }
    out.push_str("<thead><tr>");
    for (i, h) in t.headers.iter().enumerate() {
        let num = t.numeric.get(i).copied().unwrap_or(false);
        out.push_str(if num {
            "<th scope=\"col\" class=\"num\">"
        } else {
            "<th scope=\"col\">"
        });
        escape(h, out);
        out.push_str("</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        out.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            let num = t.numeric.get(i).copied().unwrap_or(false);
            out.push_str(if num { "<td class=\"num\">" } else { "<td>" });
            inlines(c, out);
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn figure(f: &Figure, out: &mut String) {
    out.push_str("<figure>\n");
    out.push_str(f.svg.trim_end());
    out.push_str("\n<figcaption>");
    escape(&f.caption, out);
    out.push_str("</figcaption>\n</figure>\n");
}

fn blocks(bs: &[Block], out: &mut String) {
    for b in bs {
        match b {
            Block::Heading { level, text, id } => {
                let _ = write!(out, "<h{level} id=\"");
                escape(id, out);
                out.push_str("\">");
                escape(text, out);
                let _ = writeln!(out, "</h{level}>");
            }
            Block::Para(items) => {
                out.push_str("<p>");
                inlines(items, out);
                out.push_str("</p>\n");
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str("<li>");
                    inlines(item, out);
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n");
            }
            Block::Table(t) => table(t, out),
            Block::Figure(f) => figure(f, out),
            Block::Section {
                class,
                brk,
                blocks: inner,
            } => {
                let brk = if *brk == Break::Page { " break" } else { "" };
                let _ = writeln!(out, "<section class=\"{class}{brk}\">");
                blocks(inner, out);
                out.push_str("</section>\n");
            }
        }
    }
}

/// The document as one self-contained HTML file.
pub(crate) fn write(doc: &Doc) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n");
    let _ = writeln!(out, "<html lang=\"{}\">", doc.lang.as_str());
    out.push_str("<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<title>");
    escape(&doc.title, &mut out);
    out.push_str("</title>\n<style>\n");
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n<main>\n");
    blocks(&doc.blocks, &mut out);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
