//! A small deterministic SVG chart writer: line charts (goal, projected, realised by year),
//! grouped bar charts and radar charts of shares (0 to 100 %).
//!
//! Written for the crate rather than taken from `plotters`: plotters lays out text with font
//! metrics, which needs its `ttf` feature (font-kit, freetype and fontconfig: C libraries) or a
//! font file registered at run time (`ab_glyph`). These charts only need lines, rectangles and
//! text placed on a fixed grid, with a generic `sans-serif` font the reader's browser picks.
//! Coordinates are printed with one decimal, so the same data gives the same bytes.
//!
//! Every chart is an `<svg role="img">` with a `<title>` and a `<desc>` (its text alternative)
//! and tells series apart by line style and marker, not by colour alone.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::render::format::{Rounding, percent};
use crate::render::html::escape;
use crate::values::lang::Lang;
use crate::values::share::Share;

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// The goal: grey dashed line, no marker.
    Goal,
    /// The projection of the plan: blue solid line, round markers.
    Projected,
    /// What was realised: orange dotted line, square markers.
    Realised,
    /// A filled series (bars, radar polygons), colour `n` of the palette.
    Fill(usize),
}

/// Okabe–Ito colours, distinguishable by colour-blind readers.
const PALETTE: [&str; 6] = [
    "#0072B2", "#56B4E9", "#009E73", "#E69F00", "#CC79A7", "#D55E00",
];

/// One series: a name and one value (a share, 0 to 1) per category, `None` when missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Series {
    /// Name (legend).
    pub name: String,
    /// Values per category.
    pub values: Vec<Option<Decimal>>,
    /// Drawing style.
    pub style: Style,
}

/// A chart of shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chart {
    /// Unique id in the document (prefix of the `<title>`/`<desc>` ids).
    pub id: String,
    /// Title.
    pub title: String,
    /// Text alternative.
    pub desc: String,
    /// Categories: years (line, bars) or axes (radar).
    pub categories: Vec<String>,
    /// Series.
    pub series: Vec<Series>,
    /// Language of the axis labels.
    pub lang: Lang,
}

const W: f64 = 640.0;
const H: f64 = 300.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 58.0;

fn f(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 {
        "0".to_string() // never "-0"
    } else if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

fn share_f64(d: Decimal) -> f64 {
    d.clamp(Decimal::ZERO, Decimal::ONE).to_f64().unwrap_or(0.0)
}

fn pct_label(p: u32, lang: Lang) -> String {
    let s = Share::new(Decimal::from(p) / Decimal::ONE_HUNDRED).unwrap_or(Share::ZERO);
    percent(s, Rounding::Nearest, lang)
}

/// The legend's items placed in rows under the plot: (series index, x, row).
fn legend_layout(c: &Chart) -> Vec<(usize, f64, usize)> {
    let mut out = Vec::with_capacity(c.series.len());
    let (mut x, mut row) = (LEFT, 0);
    for (i, s) in c.series.iter().enumerate() {
        // about 6.5 units per character at 12 px
        let w = 28.0 + 6.5 * s.name.chars().count() as f64 + 18.0;
        if x > LEFT && x + w - 18.0 > W - RIGHT {
            x = LEFT;
            row += 1;
        }
        out.push((i, x, row));
        x += w;
    }
    out
}

/// The height of a chart: one more legend row adds 18 units.
fn height(c: &Chart) -> f64 {
    let rows = legend_layout(c).last().map_or(0, |l| l.2);
    H + 18.0 * rows as f64
}

fn open(c: &Chart, out: &mut String) {
    let h = height(c);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"sans-serif\" font-size=\"12\">",
        f(W),
        f(h),
        f(W),
        f(h),
        id = c.id
    );
    let _ = write!(out, "<title id=\"{}-title\">", c.id);
    escape(&c.title, out);
    let _ = write!(out, "</title>\n<desc id=\"{}-desc\">", c.id);
    escape(&c.desc, out);
    out.push_str("</desc>\n");
    out.push_str("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    out.push_str("<text x=\"16\" y=\"22\" font-size=\"14\" font-weight=\"bold\" fill=\"#123c69\">");
    escape(&c.title, out);
    out.push_str("</text>\n");
}

/// The horizontal grid and the percent axis of a plot area.
fn y_axis(c: &Chart, out: &mut String) {
    let plot_h = H - TOP - BOTTOM;
    for p in [0u32, 25, 50, 75, 100] {
        let y = TOP + plot_h * (1.0 - f64::from(p) / 100.0);
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1\"/>",
            f(LEFT),
            f(y),
            f(W - RIGHT),
            f(y),
            if p == 0 { "#555555" } else { "#dddddd" }
        );
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#333333\">",
            f(LEFT - 6.0),
            f(y + 4.0)
        );
        escape(&pct_label(p, c.lang), out);
        out.push_str("</text>\n");
    }
}

fn x_of(i: usize, n: usize) -> f64 {
    let plot_w = W - LEFT - RIGHT;
    let step = plot_w / n.max(1) as f64;
    LEFT + step * (i as f64 + 0.5)
}

fn y_of(v: Decimal) -> f64 {
    let plot_h = H - TOP - BOTTOM;
    TOP + plot_h * (1.0 - share_f64(v))
}

fn x_labels(c: &Chart, out: &mut String) {
    let n = c.categories.len();
    for (i, cat) in c.categories.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#333333\">",
            f(x_of(i, n)),
            f(H - BOTTOM + 16.0)
        );
        escape(cat, out);
        out.push_str("</text>\n");
    }
}

fn stroke(style: Style) -> (&'static str, &'static str, f64) {
    match style {
        Style::Goal => ("#555555", " stroke-dasharray=\"7 5\"", 2.0),
        Style::Projected => ("#0072B2", "", 2.5),
        Style::Realised => ("#D55E00", " stroke-dasharray=\"2 4\"", 2.5),
        Style::Fill(i) => (PALETTE[i % PALETTE.len()], "", 2.0),
    }
}

fn marker(style: Style, x: f64, y: f64, out: &mut String) {
    let (color, _, _) = stroke(style);
    match style {
        Style::Goal => {}
        Style::Realised => {
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"{color}\"/>",
                f(x - 4.0),
                f(y - 4.0)
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{color}\"/>",
                f(x),
                f(y)
            );
        }
    }
}

/// The legend, in rows under the plot.
fn legend(c: &Chart, out: &mut String) {
    for (i, x, row) in legend_layout(c) {
        let s = &c.series[i];
        let y = H - 16.0 + 18.0 * row as f64;
        let (color, dash, width) = stroke(s.style);
        match s.style {
            Style::Fill(_) => {
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"10\" fill=\"{color}\"/>",
                    f(x),
                    f(y - 9.0)
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{color}\" stroke-width=\"{}\"{dash}/>",
                    f(x),
                    f(y - 4.0),
                    f(x + 22.0),
                    f(y - 4.0),
                    f(width)
                );
                marker(s.style, x + 11.0, y - 4.0, out);
            }
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" fill=\"#222222\">",
            f(x + 28.0),
            f(y)
        );
        escape(&s.name, out);
        out.push_str("</text>\n");
    }
}

/// A line chart of shares by category (year): one polyline per series, gaps where a value is
/// missing.
pub(crate) fn lines(c: &Chart) -> String {
    let mut out = String::with_capacity(4096);
    open(c, &mut out);
    y_axis(c, &mut out);
    x_labels(c, &mut out);
    let n = c.categories.len();
    // the goal last, on top: a projection equal to its goal does not hide it
    let mut order: Vec<&Series> = c.series.iter().filter(|s| s.style != Style::Goal).collect();
    order.extend(c.series.iter().filter(|s| s.style == Style::Goal));
    for s in order {
        let (color, dash, width) = stroke(s.style);
        // runs of consecutive known values
        let mut run: Vec<(f64, f64)> = Vec::new();
        let flush = |run: &mut Vec<(f64, f64)>, out: &mut String| {
            if run.len() > 1 {
                let pts: Vec<String> = run
                    .iter()
                    .map(|(x, y)| format!("{},{}", f(*x), f(*y)))
                    .collect();
                let _ = writeln!(
                    out,
                    "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{}\"{dash}/>",
                    pts.join(" "),
                    f(width)
                );
            } else if let (Some(&(x, y)), Style::Goal) = (run.first(), s.style) {
                // a lone goal: a short dash
                let _ = writeln!(
                    out,
                    "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{color}\" stroke-width=\"{}\"{dash}/>",
                    f(x - 20.0),
                    f(y),
                    f(x + 20.0),
                    f(y),
                    f(width)
                );
            }
            run.clear();
        };
        for (i, v) in s.values.iter().enumerate() {
            match v {
                Some(v) => run.push((x_of(i, n), y_of(*v))),
                None => flush(&mut run, &mut out),
            }
        }
        flush(&mut run, &mut out);
        for (i, v) in s.values.iter().enumerate() {
            if let Some(v) = v {
                marker(s.style, x_of(i, n), y_of(*v), &mut out);
            }
        }
    }
    legend(c, &mut out);
    out.push_str("</svg>\n");
    out
}

/// A grouped bar chart of shares: one group per category (year), one bar per series, the
/// value printed above each bar.
pub(crate) fn bars(c: &Chart) -> String {
    let mut out = String::with_capacity(4096);
    open(c, &mut out);
    y_axis(c, &mut out);
    x_labels(c, &mut out);
    let n = c.categories.len();
    let k = c.series.len().max(1);
    let plot_w = W - LEFT - RIGHT;
    let group_w = plot_w / n.max(1) as f64 * 0.8;
    let bar_w = group_w / k as f64;
    for (si, s) in c.series.iter().enumerate() {
        let (color, _, _) = stroke(s.style);
        for (i, v) in s.values.iter().enumerate() {
            let Some(v) = v else { continue };
            let x = x_of(i, n) - group_w / 2.0 + bar_w * si as f64;
            let y = y_of(*v);
            let base = y_of(Decimal::ZERO);
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{color}\"/>",
                f(x + 1.0),
                f(y),
                f((bar_w - 2.0).max(1.0)),
                f(base - y)
            );
            let label = Share::new((*v).clamp(Decimal::ZERO, Decimal::ONE))
                .map(|s| percent(s, Rounding::Nearest, c.lang))
                .unwrap_or_default();
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"9\" fill=\"#222222\">",
                f(x + bar_w / 2.0),
                f(y - 3.0)
            );
            escape(&label, &mut out);
            out.push_str("</text>\n");
        }
    }
    legend(c, &mut out);
    out.push_str("</svg>\n");
    out
}

/// A radar chart: one axis per category (0 at the centre, 100 % at the rim), one polygon per
/// series.
pub(crate) fn radar(c: &Chart) -> String {
    let mut out = String::with_capacity(4096);
    open(c, &mut out);
    let n = c.categories.len().max(3);
    // under the title and the top label, above the legend
    let top = 52.0;
    let r = (H - top - 40.0) / 2.0 - 4.0;
    let (cx, cy) = (W / 2.0, top + r);
    let point = |i: usize, v: f64| {
        let a = std::f64::consts::PI * 2.0 * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
        (cx + r * v * a.cos(), cy + r * v * a.sin())
    };
    for ring in [0.25, 0.5, 0.75, 1.0] {
        let pts: Vec<String> = (0..n)
            .map(|i| {
                let (x, y) = point(i, ring);
                format!("{},{}", f(x), f(y))
            })
            .collect();
        let _ = writeln!(
            out,
            "<polygon points=\"{}\" fill=\"none\" stroke=\"#cccccc\" stroke-width=\"1\"/>",
            pts.join(" ")
        );
    }
    for (i, cat) in c.categories.iter().enumerate() {
        let (x, y) = point(i, 1.0);
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#cccccc\" stroke-width=\"1\"/>",
            f(cx),
            f(cy),
            f(x),
            f(y)
        );
        let (lx, ly) = point(i, 1.12);
        let anchor = if (lx - cx).abs() < 1.0 {
            "middle"
        } else if lx > cx {
            "start"
        } else {
            "end"
        };
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" fill=\"#333333\">",
            f(lx),
            f(ly + 4.0)
        );
        escape(cat, &mut out);
        out.push_str("</text>\n");
    }
    for s in &c.series {
        let (color, dash, _) = stroke(s.style);
        let pts: Vec<String> = (0..n)
            .map(|i| {
                let v = s.values.get(i).copied().flatten().map_or(0.0, share_f64);
                let (x, y) = point(i, v);
                format!("{},{}", f(x), f(y))
            })
            .collect();
        let _ = writeln!(
            out,
            "<polygon points=\"{}\" fill=\"{color}\" fill-opacity=\"0.25\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>",
            pts.join(" ")
        );
    }
    legend(c, &mut out);
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Chart {
        Chart {
            id: "t".into(),
            title: "Part <sociale>".into(),
            desc: "desc".into(),
            categories: vec!["2026".into(), "2027".into()],
            series: vec![
                Series {
                    name: "objectif".into(),
                    values: vec![Some("0.3".parse().unwrap()), Some("0.3".parse().unwrap())],
                    style: Style::Goal,
                },
                Series {
                    name: "projeté".into(),
                    values: vec![Some("0.484".parse().unwrap()), None],
                    style: Style::Projected,
                },
            ],
            lang: Lang::Fr,
        }
    }

    #[test]
    fn charts_are_accessible_escaped_and_deterministic() {
        for svg in [lines(&chart()), bars(&chart()), radar(&chart())] {
            assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
            assert!(svg.contains("role=\"img\" aria-labelledby=\"t-title t-desc\""));
            assert!(svg.contains("<title id=\"t-title\">Part &lt;sociale&gt;</title>"));
            assert!(!svg.contains("NaN") && !svg.contains("-0 ") && !svg.contains("inf"));
        }
        assert_eq!(lines(&chart()), lines(&chart()));
    }

    #[test]
    fn coordinates_have_at_most_one_decimal() {
        assert_eq!(f(1.25), "1.3");
        assert_eq!(f(-0.01), "0");
        assert_eq!(f(12.0), "12");
    }
}
