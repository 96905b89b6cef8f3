//! The SPASER document and the prescriber sheets (issue 16): languages and French typography,
//! the six parts, grouped findings, charts, HTML for print and assistive technologies, JSON,
//! determinism, and snapshots of the sample.
//!
//! Snapshots live in `tests/data/document/`; after a deliberate change of the output, rewrite
//! them with `SPASER_BLESS=1 cargo test --test document` and read the diff.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use spaser::document::{Document, DocumentInput};
use spaser::maturity::{Assessment, Grid, Scorecard, score};
use spaser::{
    Amount, BuyerKind, BuyerStatus, Catalogue, Departement, IndicatorTable, Lang, Messages, Nature,
    Plan, PlanOptions, Planner, Procedure, Programme, Rulebook, Targets,
};

/// The sample programme with the buyer profile a town gives (status, yearly expenditure,
/// département).
fn programme() -> Programme {
    let mut p = Programme::sample().clone();
    p.buyer.status = Some(BuyerStatus::LocalAuthority);
    for (y, v) in [(2024, "10230000"), (2025, "11240000")] {
        p.buyer
            .expenditure
            .insert(y, Amount::new(v.parse().unwrap()).unwrap());
    }
    p.buyer.departement = Some(Departement::parse("49").unwrap());
    p
}

fn plan(p: &Programme) -> Plan {
    let rulebook = Rulebook::embedded();
    let targets = Targets::defaults_for(p, rulebook);
    Planner::new(Catalogue::embedded(), rulebook)
        .plan(
            p,
            &targets,
            &PlanOptions::default().capacity_every_year(Decimal::from(3000)),
        )
        .unwrap()
}

/// The town's contracts notified in 2024 and 2025 (DECP 2024 format).
fn actuals() -> IndicatorTable {
    let file = std::fs::read("tests/data/document/decp_valmont.json").unwrap();
    spaser::decp::indicators(file.as_slice(), spaser::decp::Actuals::new())
        .unwrap()
        .marches
}

fn scorecard() -> Scorecard {
    // the sample assessment, made a few weeks before the document
    let json = include_str!("../src/data/maturity_sample_assessment.json")
        .replace("2026-11-15", "2025-11-20");
    score(Grid::spaser(), &Assessment::from_json(&json).unwrap()).unwrap()
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 12, 15).unwrap()
}

/// The sample document: buyer profile, past indicators and maturity score.
fn document(lang: Lang) -> Document {
    let p = programme();
    let plan = plan(&p);
    let actuals = actuals();
    let card = scorecard();
    let input = DocumentInput::new(&p)
        .lang(lang)
        .date(date())
        .actuals(&actuals)
        .scorecard(&card);
    Document::new(&plan, &input).unwrap()
}

fn tmp() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("document");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Compares `actual` with the snapshot `name`, or rewrites it when `SPASER_BLESS` is set.
fn snapshot(name: &str, actual: &str) {
    let path = Path::new("tests/data/document").join(name);
    if std::env::var_os("SPASER_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        let out = tmp().join(name);
        std::fs::write(&out, actual).unwrap();
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .map_or(expected.lines().count().min(actual.lines().count()), |i| i)
            + 1;
        panic!(
            "{name} differs from its snapshot from line {line}; new output in {} \
             (SPASER_BLESS=1 cargo test --test document rewrites the snapshots)",
            out.display()
        );
    }
}

#[test]
fn snapshot_of_the_french_markdown_and_html() {
    let d = document(Lang::Fr);
    snapshot("spaser-fr.md", &d.to_markdown());
    snapshot("spaser-fr.html", &d.to_html());
}

#[test]
fn snapshot_of_the_english_markdown_and_html() {
    let d = document(Lang::En);
    snapshot("spaser-en.md", &d.to_markdown());
    snapshot("spaser-en.html", &d.to_html());
}

#[test]
fn snapshot_of_one_prescriber_sheet() {
    let d = document(Lang::Fr);
    let sheet = d
        .sheets()
        .iter()
        .find(|s| s.service() == Some("Bâtiments"))
        .unwrap();
    assert_eq!(sheet.file_stem(), "fiche-batiments");
    snapshot("fiche-batiments.md", &sheet.to_markdown());
    snapshot("fiche-batiments.html", &sheet.to_html());
}

/// Writes what CI renders in a browser: the French HTML of the sample and its sheets.
#[test]
fn writes_the_sample_for_the_browser_check() {
    let d = document(Lang::Fr);
    let dir = tmp();
    std::fs::write(dir.join("spaser-fr.html"), d.to_html()).unwrap();
    std::fs::write(dir.join("fiches-fr.html"), d.sheets_html()).unwrap();
    let titles: Vec<&str> = d.sheets().iter().map(|s| s.title()).collect();
    std::fs::write(dir.join("sheet-titles.txt"), titles.join("\n") + "\n").unwrap();
}

const PARTS_FR: [&str; 6] = [
    "1. Contexte et obligations",
    "2. État des lieux",
    "3. Axes et objectifs",
    "4. Plan d'actions",
    "5. Gouvernance et suivi",
    "6. Annexes",
];

#[test]
fn the_document_has_the_six_parts_in_order_and_a_sheet_per_service() {
    let d = document(Lang::Fr);
    let md = d.to_markdown();
    let mut at = 0;
    for p in PARTS_FR {
        let i = md[at..]
            .find(&format!("\n## {p}\n"))
            .unwrap_or_else(|| panic!("part {p} missing or out of order"));
        at += i + 1;
    }
    let services: BTreeSet<&str> = Programme::sample()
        .lines
        .iter()
        .filter_map(|l| l.service.as_deref())
        .collect();
    assert_eq!(d.sheets().len(), services.len());
    let html = d.to_html();
    for s in d.sheets() {
        assert!(services.contains(s.service().unwrap()));
        assert!(
            md.contains(&format!("#### {}\n", s.title())),
            "{}",
            s.title()
        );
        let escaped = s.title().replace('\'', "&#39;");
        assert!(html.contains(&format!(">{escaped}</h4>")), "{}", s.title());
    }
    // every purchase is in exactly one sheet
    let json: serde_json::Value = serde_json::from_str(&d.to_json().unwrap()).unwrap();
    let mut ids: Vec<&str> = json["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            s["line_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap())
        })
        .collect();
    ids.sort_unstable();
    let mut all: Vec<&str> = Programme::sample()
        .lines
        .iter()
        .map(|l| l.id.as_str())
        .collect();
    all.sort_unstable();
    assert_eq!(ids, all);
}

/// The words of a text (letters, accents included).
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The French main text: parts 1 to 5 and the prescriber sheets.
fn french_main_text(d: &Document) -> String {
    let md = d.to_markdown();
    let annexes = md.find("\n## 6. Annexes").unwrap();
    let mut main = md[..annexes].to_string();
    main.push_str(&d.sheets_markdown());
    main
}

#[test]
fn french_main_text_has_no_english_word_no_lever_id_and_no_solver_term() {
    let d = document(Lang::Fr);
    let main = french_main_text(&d);
    // English-only words: those of the English catalogue that no French text of the catalogue
    // and no data of the buyer (labels, families, services) uses
    let m = Messages::embedded();
    let mut en = BTreeSet::new();
    let mut fr = BTreeSet::new();
    for k in m.keys() {
        en.extend(words(m.get(k, Lang::En).unwrap()));
        fr.extend(words(m.get(k, Lang::Fr).unwrap()));
    }
    for l in &programme().lines {
        fr.extend(words(&l.label));
        fr.extend(words(l.family.as_deref().unwrap_or("")));
        fr.extend(words(l.operation.as_deref().unwrap_or("")));
        fr.extend(words(l.service.as_deref().unwrap_or("")));
    }
    let english: BTreeSet<&String> = en.difference(&fr).filter(|w| w.len() > 2).collect();
    assert!(
        english.len() > 200,
        "the scan has English words to look for"
    );
    let found: Vec<&String> = words(&main)
        .iter()
        .filter(|w| english.contains(w))
        .cloned()
        .collect::<Vec<_>>()
        .iter()
        .map(|w| *english.iter().find(|e| **e == w).unwrap())
        .collect();
    assert!(
        found.is_empty(),
        "English words in the French text: {found:?}"
    );
    for lever in Catalogue::embedded().levers() {
        assert!(
            !main.contains(&lever.id),
            "lever id {} in the main text",
            lever.id
        );
    }
    for term in [
        "objective",
        "lower bound",
        "borne inférieure",
        "optimiseur",
        "pénalité d'écart",
        "not_applicable",
        "_",
    ] {
        assert!(!main.contains(term), "{term:?} in the main text");
    }
}

#[test]
fn french_numbers_dates_and_punctuation_follow_french_typography() {
    let d = document(Lang::Fr);
    let md = d.to_markdown();
    // money, shares and dates
    assert!(
        md.contains("11\u{202f}240\u{202f}000,00\u{a0}€ HT"),
        "grouped euros"
    );
    assert!(
        md.contains("48,4\u{202f}%"),
        "a decimal comma before a narrow no-break space"
    );
    assert!(md.contains("15\u{a0}décembre\u{a0}2025"), "dates in words");
    assert!(md.contains("22\u{a0}août\u{a0}2026"));
    // no ordinary space before a high punctuation mark, except in the buyer's own labels
    let mut text = french_main_text(&d);
    for l in &programme().lines {
        text = text.replace(&l.label, "");
    }
    for bad in [" :", " ;", " ?", " !", " %", "« ", " »", " €"] {
        if let Some(i) = text.find(bad) {
            let from = text.floor_char_boundary(i.saturating_sub(60));
            let to = text.ceil_char_boundary((i + 20).min(text.len()));
            panic!("{bad:?} with an ordinary space: {:?}", &text[from..to]);
        }
    }
    // the catalogue's French texts
    let m = Messages::embedded();
    for k in m.keys() {
        let fr = m.get(k, Lang::Fr).unwrap();
        for (i, c) in fr.char_indices() {
            let before = fr[..i].chars().next_back();
            match c {
                ':' => assert!(
                    before.is_none_or(|b| b == '\u{a0}'),
                    "message {k}: ':' without a no-break space before it"
                ),
                ';' | '!' | '%' => assert!(
                    before.is_none_or(|b| b == '\u{202f}'),
                    "message {k}: {c:?} without a narrow no-break space before it"
                ),
                // a question, or the confidence tag `?` ("(?)", "confiance ?")
                '?' => assert!(
                    before.is_none_or(|b| ['\u{202f}', '\u{a0}', '('].contains(&b)),
                    "message {k}: '?' without a narrow no-break space before it"
                ),
                _ => {}
            }
        }
    }
}

/// The message keys the crate's renderers name literally (plural keys without `.one` /
/// `.other`).
fn literal_keys() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir("src/document")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.push("src/plan/report.rs".into());
    files.push("src/followup/review_doc.rs".into());
    // the sourcing sheets (issue 20)
    files.push("src/sourcing/sheet.rs".into());
    files.push("src/sourcing/availability.rs".into());
    files.push("src/sourcing/text.rs".into());
    files.push("src/render/ctx.rs".into());
    files.push("src/document/mod.rs".into());
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        // every span between a quote and the next one that looks like a key (escaped quotes
        // elsewhere do not shift what is found)
        for (i, _) in src.match_indices('"') {
            let rest = &src[i + 1..];
            let Some(end) = rest.find('"') else { continue };
            let lit = &rest[..end];
            let is_key = lit.contains('.')
                && !lit.starts_with('.')
                && !lit.ends_with('.')
                && lit
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b))
                && !["environmental.", "social.", "economic."]
                    .iter()
                    .any(|p| lit.starts_with(p));
            if is_key {
                keys.insert(lit.to_string());
            }
        }
    }
    keys
}

/// The keys the renderers build from codes (`obligation.{id}`…).
fn dynamic_keys() -> BTreeSet<String> {
    let mut k = BTreeSet::new();
    let mut add = |prefix: &str, items: &[&str], suffixes: &[&str]| {
        for i in items {
            for s in suffixes {
                k.insert(format!("{prefix}.{i}{s}"));
            }
        }
    };
    let parts = [
        "context",
        "baseline",
        "axes",
        "actions",
        "governance",
        "annexes",
    ];
    add("doc.part", &parts, &[""]);
    let statuses: Vec<&str> = BuyerStatus::ALL.iter().map(|s| s.as_str()).collect();
    add("buyer_status", &statuses, &[""]);
    let kinds: Vec<&str> = BuyerKind::ALL.iter().map(|s| s.as_str()).collect();
    add("buyer_kind", &kinds, &[""]);
    add("report.buyer_kind", &kinds, &[""]);
    let procedures: Vec<&str> = Procedure::ALL.iter().map(|s| s.as_str()).collect();
    add("procedure", &procedures, &[""]);
    // bought through a central purchasing body (the law issue's new procedure)
    add("procedure", &["intermediary"], &[""]);
    let natures: Vec<&str> = Nature::ALL.iter().map(|s| s.as_str()).collect();
    add("nature", &natures, &[""]);
    let coverage = [
        "met",
        "missing",
        "no_applicable_lever",
        "not_applicable",
        "exempted",
        "unknown",
    ];
    add("coverage", &coverage, &[""]);
    add(
        "attention",
        &["missing", "no_applicable_lever", "unknown", "exempted"],
        &[""],
    );
    add(
        "sheet.attention",
        &["missing", "no_applicable_lever", "unknown", "exempted"],
        &[""],
    );
    let obligations = [
        "environmental_execution_condition",
        "social_execution_condition",
        "environmental_award_criterion",
        "concession_award_criteria",
        "award_criteria_weights",
        // obligations the law issue (14) adds to the rulebook
        "sustainable_specifications",
        "aper_environmental_criterion",
        "reserved_contract",
        "spaser",
        "agec_reuse",
        "agec_recycled",
        "agec_2021",
        "egalim_quality",
        "egalim_organic",
        "egalim_meat_fish",
    ];
    add("obligation", &obligations, &["", ".explain"]);
    let causes = [
        "too_few_eligible_lines",
        "locks",
        "capacity",
        "budget",
        "max_levers",
        "shortfall_weight",
        // the planner's lexicographic objective and horizon years (issue 15)
        "other_targets",
        "no_purchase_in_scope",
    ];
    add("cause", &causes, &[""]);
    add("report.cause", &causes, &[""]);
    add("confidence", &["v", "s", "unknown"], &[""]);
    add(
        "axis",
        &["social", "environmental", "innovation", "other"],
        &["", ".intro"],
    );
    add(
        "what.dimension",
        &["social", "environmental", "innovation"],
        &[""],
    );
    let indicators = [
        "social",
        "environmental",
        "innovative",
        "hours",
        "agec",
        "egalim",
    ];
    add(
        "governance.indicator",
        &indicators,
        &["", ".measure", ".source"],
    );
    add("actions.family", &["family", "operation"], &[""]);
    add("source.egalim", &["quality", "organic", "meat_fish"], &[""]);
    add(
        "report.spaser",
        &["missing", "met", "not_applicable", "exempted", "unknown"],
        &[""],
    );
    add("report.basis", &["count", "value"], &[""]);
    add("report.per", &["family", "service"], &[""]);
    add("report.none", &["family", "service"], &[""]);
    let cols = [
        "target",
        "year",
        "basis",
        "goal",
        "projected",
        "by_count",
        "by_value",
        "met",
        "shortfall",
        "lever",
        "what",
        "legal_basis",
        "purchases",
        "obligation",
        "article",
        "status",
        "levers",
        "planned_hours",
        "capacity",
        "cause",
        "remedy",
        "social_count",
        "social_value",
        "environmental_count",
        "environmental_value",
    ];
    add("report.col", &cols, &[""]);
    k
}

#[test]
fn every_message_key_the_crate_uses_exists_and_every_key_is_used() {
    let m = Messages::embedded();
    let has = |k: &str| {
        m.get(k, Lang::Fr).is_some()
            || (m.get(&format!("{k}.one"), Lang::Fr).is_some()
                && m.get(&format!("{k}.other"), Lang::Fr).is_some())
    };
    let literal = literal_keys();
    let dynamic = dynamic_keys();
    for k in literal.iter().chain(&dynamic) {
        // prefixes completed at run time (`target.{id}.label` is optional)
        if k.ends_with('.') || k.starts_with("target.{") {
            continue;
        }
        assert!(
            has(k),
            "message \"{k}\" is used but not in src/data/messages.json"
        );
    }
    // target labels and sources looked up by target id
    let optional =
        |k: &str| k.starts_with("target.") && (k.ends_with(".label") || k.ends_with(".source"));
    for k in m.keys() {
        // a plural key is used through its base (`common.purchases` for `.one` and `.other`)
        let base = match (k.strip_suffix(".one"), k.strip_suffix(".other")) {
            (Some(b), _) if m.get(&format!("{b}.other"), Lang::Fr).is_some() => b,
            (_, Some(b)) if m.get(&format!("{b}.one"), Lang::Fr).is_some() => b,
            _ => k,
        };
        assert!(
            literal.contains(k) || literal.contains(base) || dynamic.contains(base) || optional(k),
            "message \"{k}\" is never used"
        );
    }
    // every obligation the embedded rulebook knows has a label and an explanation
    for r in &Rulebook::embedded().obligations.contract {
        assert!(has(&format!("obligation.{}", r.id)));
        assert!(has(&format!("obligation.{}.explain", r.id)));
    }
    // no placeholder left unfilled, no key printed instead of its text
    for lang in [Lang::Fr, Lang::En] {
        let d = document(lang);
        for text in [d.to_markdown(), d.to_html(), d.sheets_markdown()] {
            assert!(
                !text.contains("{n}") && !text.contains("{year}"),
                "unfilled placeholder"
            );
            for k in literal.iter().chain(&dynamic) {
                assert!(!text.contains(&format!(" {k} ")), "key {k} printed");
            }
        }
    }
}

#[test]
fn every_embedded_lever_has_its_model_wording_in_french_and_english() {
    let wording: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(include_str!("../src/data/lever_wording.json")).unwrap();
    for l in Catalogue::embedded().levers() {
        let w = l
            .wording
            .as_ref()
            .unwrap_or_else(|| panic!("lever {} has no wording", l.id));
        assert!(
            !w.fr.trim().is_empty() && !w.en.trim().is_empty(),
            "{}",
            l.id
        );
        // a model wording cites its legal basis
        assert!(
            ["CCP", "loi", "C. env.", "CRPM", "LTECV", "code"]
                .iter()
                .any(|b| w.fr.contains(b)),
            "lever {}: the wording cites no legal basis",
            l.id
        );
        assert!(wording.contains_key(&l.id));
    }
    assert_eq!(
        wording.len(),
        Catalogue::embedded().levers().len(),
        "no wording of an unknown lever"
    );
    // a catalogue can replace a wording; an unknown lever is named
    let cat = Catalogue::embedded()
        .clone()
        .with_wording(r#"{"ins-works": {"fr": "Notre clause.", "en": "Our clause."}}"#)
        .unwrap();
    assert_eq!(
        cat.get("ins-works").unwrap().wording.as_ref().unwrap().fr,
        "Notre clause."
    );
    let e = Catalogue::embedded()
        .clone()
        .with_wording(r#"{"no-such": {"fr": "a", "en": "b"}}"#)
        .unwrap_err();
    assert!(e.to_string().contains("\"no-such\""), "{e}");
}

#[test]
fn the_sheets_carry_the_model_wording_the_dates_and_the_contribution_to_targets() {
    let d = document(Lang::Fr);
    let sheet = d
        .sheets()
        .iter()
        .find(|s| s.service() == Some("Bâtiments"))
        .unwrap()
        .to_markdown();
    let wording = &Catalogue::embedded()
        .get("ins-works")
        .unwrap()
        .wording
        .as_ref()
        .unwrap()
        .fr;
    assert!(
        sheet.contains(wording.as_str()),
        "model wording of the insertion clause"
    );
    assert!(sheet.contains("Sourçage dès le") && sheet.contains("Lancement au plus tard"));
    assert!(
        sheet.contains("vos achats portent"),
        "contribution to the targets"
    );
    assert!(
        sheet.contains("des heures du plan"),
        "share of the insertion hours"
    );
    assert!(
        sheet.contains("relevé d'heures du facilitateur"),
        "evidence to ask for"
    );
}

#[test]
fn html_is_self_contained_print_ready_and_accessible() {
    for lang in [Lang::Fr, Lang::En] {
        let d = document(lang);
        for html in [d.to_html(), d.sheets_html()] {
            assert!(html.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{lang}\">")));
            for banned in ["<script", "<link", "src=", "url(", "@import", "<iframe"] {
                assert!(!html.contains(banned), "{banned} in the HTML");
            }
            // the only address is the SVG namespace
            assert_eq!(
                html.matches("http").count(),
                html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
            );
            assert!(html.contains("@page { size: A4;"));
            assert!(html.contains("thead { display: table-header-group; }"));
            assert!(html.contains("section.break { break-before: page;"));
            // headings in order: never a jump of more than one level
            let mut last = 0;
            for (i, _) in html.match_indices("<h") {
                let Some(level) = html[i + 2..].chars().next().and_then(|c| c.to_digit(10)) else {
                    continue;
                };
                assert!(level <= last + 1, "heading h{level} after h{last}");
                last = level;
            }
            // tables have header cells, charts a text alternative
            assert_eq!(
                html.matches("<table").count(),
                html.matches("<thead>").count()
            );
            assert!(!html.contains("<th>"), "every header cell has a scope");
            assert_eq!(
                html.matches("<svg ").count(),
                html.matches("role=\"img\"").count()
            );
            assert_eq!(
                html.matches("<svg ").count(),
                html.matches("<desc id=").count()
            );
            // ids are unique
            let mut ids = BTreeSet::new();
            for (i, _) in html.match_indices(" id=\"") {
                let rest = &html[i + 5..];
                let id = &rest[..rest.find('"').unwrap()];
                assert!(ids.insert(id.to_string()), "duplicate id {id}");
            }
        }
    }
}

#[test]
fn the_markdown_refers_to_every_chart_and_the_html_embeds_them() {
    let d = document(Lang::Fr);
    let md = d.to_markdown();
    let html = d.to_html();
    let charts = d.charts();
    // a trajectory per target, the past and projected indicators, the maturity radar
    assert_eq!(charts.len(), 9 + 3);
    for c in &charts {
        assert!(c.file.starts_with("graphiques/") && c.file.ends_with(".svg"));
        assert!(md.contains(&format!("]({})", c.file)), "{}", c.file);
        assert!(html.contains(c.svg.trim_end()), "{}", c.file);
    }
    let en = document(Lang::En).charts();
    assert!(en.iter().all(|c| c.file.starts_with("charts/")));
}

#[test]
fn output_is_byte_identical_across_runs() {
    for lang in [Lang::Fr, Lang::En] {
        let (a, b) = (document(lang), document(lang));
        assert_eq!(a.to_markdown(), b.to_markdown());
        assert_eq!(a.to_html(), b.to_html());
        assert_eq!(a.to_json().unwrap(), b.to_json().unwrap());
        assert_eq!(a.sheets_html(), b.sheets_html());
        assert_eq!(a.charts(), b.charts());
    }
}

#[test]
fn the_json_document_carries_the_same_content_as_data() {
    let p = programme();
    let plan = plan(&p);
    let d = document(Lang::Fr);
    let json: serde_json::Value = serde_json::from_str(&d.to_json().unwrap()).unwrap();
    assert_eq!(json["lang"], "fr");
    assert_eq!(json["buyer"]["status"], "local_authority");
    assert_eq!(json["buyer"]["expenditure"]["2025"], "11240000.00");
    assert_eq!(json["spaser"]["basis"], "expenditure");
    assert_eq!(json["spaser"]["verdict"], "not_required");
    let lines = json["actions"]["lines"].as_array().unwrap();
    assert_eq!(lines.len(), p.lines.len());
    for a in &plan.assignments {
        let line = lines.iter().find(|l| l["id"] == a.line.as_str()).unwrap();
        let levers: Vec<&str> = line["levers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            levers,
            a.levers.iter().map(String::as_str).collect::<Vec<_>>()
        );
    }
    for id in plan.levers.keys() {
        assert!(json["levers"][id]["wording"].is_string(), "{id}");
    }
    assert_eq!(json["targets"].as_array().unwrap().len(), 9);
    assert!(json["sources"].as_array().unwrap().len() > 10);
}

#[test]
fn without_a_profile_the_spaser_test_is_an_estimate_and_the_baseline_says_what_fills_it() {
    // the bare sample: no status, no expenditure, no past data
    let p = Programme::sample();
    let plan = plan(p);
    let d = plan.document(p, Lang::Fr).unwrap();
    let md = d.to_markdown();
    assert!(
        md.contains("À vérifier."),
        "the programme's value is only an estimate"
    );
    assert!(md.contains("estimation, confiance\u{a0}?"));
    assert!(md.contains("Aucune donnée des années passées n'a été fournie."));
    assert!(md.contains("non renseigné"), "status not given");
    let en = plan.document(p, Lang::En).unwrap().to_markdown();
    assert!(en.contains("To be checked.") && en.contains("## 4. Plan of actions"));
}

#[test]
fn a_buyer_above_the_threshold_must_adopt_a_spaser() {
    // D2111-3: strictly above €50,000,000 of yearly expenditure (from 2023-01-01)
    let mut p = programme();
    p.buyer
        .expenditure
        .insert(2025, Amount::new("50000000.01".parse().unwrap()).unwrap());
    let plan = plan(&p);
    let md = plan.document(&p, Lang::Fr).unwrap().to_markdown();
    assert!(md.contains("Oui. En 2025"), "required");
    p.buyer
        .expenditure
        .insert(2025, Amount::new("50000000".parse().unwrap()).unwrap());
    let md = plan.document(&p, Lang::Fr).unwrap().to_markdown();
    assert!(md.contains("Non. En 2025"), "equal is not above");
}

#[test]
fn repeated_findings_are_grouped_one_sentence_per_cause() {
    // a large synthetic programme: thousands of purchases share a few causes
    let p = spaser::synthetic_programme(3000, 7, BuyerKind::OtherContractingAuthority).unwrap();
    let rulebook = Rulebook::embedded();
    let mut targets = Targets::defaults_for(&p, rulebook);
    targets
        .targets
        .extend(spaser::synthetic_targets().unwrap().targets);
    let plan = Planner::new(Catalogue::embedded(), rulebook)
        .plan(&p, &targets, &PlanOptions::default())
        .unwrap();
    // a cause is an obligation under the articles in force and a status (each article binds
    // on its own date: R2152-7 alone on 2026-08-21, with L2152-7 from 2026-08-22)
    let causes: BTreeSet<(String, &str, &str)> = plan
        .obligations
        .iter()
        .filter(|o| !matches!(o.status.as_str(), "met" | "not_applicable"))
        .map(|o| {
            (
                o.obligation.to_string(),
                o.article.as_str(),
                o.status.as_str(),
            )
        })
        .collect();
    let d = plan.document(&p, Lang::Fr).unwrap();
    let md = d.to_markdown();
    let start = md.find("### Points d'attention").unwrap();
    let end = start + md[start..].find("\n### Les leviers retenus").unwrap();
    let bullets = md[start..end]
        .lines()
        .filter(|l| l.starts_with("- "))
        .count();
    assert_eq!(bullets, causes.len(), "one sentence per cause");
    assert!(bullets < 10);
    // the English report groups its findings too
    let report = plan.to_markdown();
    let findings = report
        .lines()
        .filter(|l| l.starts_with("- ") && l.contains("purchase(s)"))
        .count();
    let distinct: BTreeSet<&str> = plan.findings.iter().map(|f| f.article.as_str()).collect();
    assert!(findings <= distinct.len() + 1, "{findings} finding lines");
    // the detail stays in the JSON
    let json: serde_json::Value = serde_json::from_str(&d.to_json().unwrap()).unwrap();
    let listed: usize = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["lines"].as_array().unwrap().len())
        .sum();
    let expected = plan
        .obligations
        .iter()
        .filter(|o| !matches!(o.status.as_str(), "met" | "not_applicable"))
        .count();
    assert_eq!(listed, expected);
}

#[test]
fn a_plan_and_a_programme_that_do_not_match_are_an_error() {
    let p = programme();
    let plan = plan(&p);
    let other = spaser::synthetic_programme(5, 1, BuyerKind::OtherContractingAuthority).unwrap();
    let e = plan.document(&other, Lang::Fr).unwrap_err();
    assert!(e.to_string().contains("is not in the programme"), "{e}");
}

#[test]
fn to_markdown_and_to_json_of_the_plan_stay_available() {
    let p = programme();
    let plan = plan(&p);
    assert!(
        plan.to_markdown()
            .starts_with("# SPASER — Ville de Valmont-sur-Loire")
    );
    let json: serde_json::Value = serde_json::from_str(&plan.to_json().unwrap()).unwrap();
    assert!(json["assignments"][0]["why"].is_array(), "reasons as data");
    assert!(json["target_definitions"].is_array());
}
