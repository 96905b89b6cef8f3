//! Specification of the yearly SPASER review on the follow-up data set (2026): its content as
//! data, and its French and English renderings compared byte for byte with the snapshots in
//! `tests/data/followup/` (regenerate them with `SPASER_BLESS=1 cargo test --test
//! followup_review` after reading the difference).

mod followup_support;

use followup_support::{DIR, contracts, planned, programme, targets};
use rust_decimal::Decimal;
use spaser::Lang;
use spaser::followup::{Cause, Review, ReviewOptions, review};

fn the_review() -> Review {
    review(
        &programme(),
        &planned(),
        &contracts("decp.json"),
        &targets(),
        2026,
        &ReviewOptions::default(),
    )
    .unwrap()
}

fn snapshot(name: &str, text: &str) {
    let path = format!("{DIR}{name}");
    if std::env::var_os("SPASER_BLESS").is_some() {
        std::fs::write(&path, text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != text {
        let got = format!("{path}.new");
        std::fs::write(&got, text).unwrap();
        panic!("{name} differs from its snapshot: see {got}");
    }
}

#[test]
fn review_snapshots_french_and_english() {
    let r = the_review();
    snapshot("review.fr.md", &r.to_markdown(Lang::Fr));
    snapshot("review.en.md", &r.to_markdown(Lang::En));
    snapshot("review.fr.html", &r.to_html(Lang::Fr));
    snapshot("review.json", &r.to_json().unwrap());
}

#[test]
fn review_is_byte_identical_across_runs() {
    let (a, b) = (the_review(), the_review());
    assert_eq!(a.to_markdown(Lang::Fr), b.to_markdown(Lang::Fr));
    assert_eq!(a.to_html(Lang::En), b.to_html(Lang::En));
    assert_eq!(a.to_json().unwrap(), b.to_json().unwrap());
}

#[test]
fn each_target_has_its_goal_projection_realised_figure_and_gap() {
    let r = the_review();
    assert_eq!(r.targets.len(), 4);
    let social = r.targets.iter().find(|t| t.id == "social-count").unwrap();
    // 2026: 11 of the 36 contracts of the buyer notified in the year carry a social
    // consideration (DECP), below the 35 % goal
    assert_eq!((social.realised.count, social.realised.purchases), (11, 36));
    assert_eq!(social.met, Some(false));
    assert_eq!(
        social.gap.unwrap(),
        Decimal::new(11, 0) / Decimal::new(36, 0) - Decimal::new(35, 2)
    );
    // the causes: the two unplanned purchases (no social consideration), the late lighting
    // line L29 (insertion hours planned), levers planned but not published
    assert!(social.causes.iter().any(|c| matches!(c,
        Cause::UnplannedPurchases { contracts: 2, counting: 0, keys, .. } if keys == &["2026-0030", "2026-0032"])));
    assert!(social.causes.iter().any(|c| matches!(c,
        Cause::LinesLate { lines } if lines == &["L29"])));
    assert!(
        social
            .causes
            .iter()
            .any(|c| matches!(c, Cause::LeversNotPublished { .. }))
    );
    // projection at planning time: the lines launched in 2026 with their planned levers
    assert_eq!(social.projected.purchases, 40);
}

#[test]
fn the_law_table_gives_counts_and_values_of_the_year() {
    let r = the_review();
    let social = r
        .publication
        .iter()
        .find(|p| p.indicator == "social" && p.year == 2026)
        .unwrap();
    assert_eq!((social.measure.purchases, social.measure.count), (36, 11));
    // 2025: the buyer's two contracts notified that year
    let old = r
        .publication
        .iter()
        .find(|p| p.indicator == "social" && p.year == 2025)
        .unwrap();
    assert_eq!(old.measure.purchases, 2);
    let md = r.to_markdown(Lang::Fr);
    assert!(md.contains("L2111-3"));
    assert!(md.contains("Part en nombre") && md.contains("Part en valeur"));
}

#[test]
fn figures_per_service_come_from_the_linked_lines() {
    let r = the_review();
    let names: Vec<&str> = r.services.iter().map(|s| s.service.as_str()).collect();
    assert!(names.contains(&"Bâtiments") && names.contains(&"Voirie"));
    // unplanned contracts have no service: listed last, under an empty key
    assert_eq!(names.last(), Some(&""));
    let total: u64 = r.services.iter().map(|s| s.social.purchases).sum();
    assert_eq!(total, 36);
}

#[test]
fn other_buyers_contracts_are_ignored_and_counted() {
    let r = the_review();
    assert_eq!(r.data.other_buyers, 12);
    assert_eq!(r.data.in_year, 36);
}

#[test]
fn review_json_round_trips() {
    let r = the_review();
    let back: Review = serde_json::from_str(&r.to_json().unwrap()).unwrap();
    assert_eq!(back, r);
}

#[test]
fn the_review_speaks_through_the_message_catalogue_in_french_typography() {
    // Issue 16 point 1: one message catalogue, one renderer. Every sentence of the review
    // comes from `src/data/messages.json` (French and English), so no placeholder and no key
    // is left in the text, and French punctuation carries its no-break spaces.
    let r = the_review();
    let programme = programme();
    for lang in [Lang::Fr, Lang::En] {
        let md = r.to_markdown(lang);
        assert!(!md.contains('{'), "a placeholder left");
        for text in [md, r.to_html(lang)] {
            assert!(!text.contains("review."), "a message key printed");
        }
    }
    let mut fr = r.to_markdown(Lang::Fr);
    for l in &programme.lines {
        fr = fr.replace(&l.label, "");
    }
    for t in &r.targets {
        fr = fr.replace(&t.label, "");
    }
    for bad in [" :", " ;", " %", " €", " pts"] {
        assert!(!fr.contains(bad), "{bad:?} with an ordinary space");
    }
    assert!(fr.contains("233\u{202f}000,00\u{a0}€ HT"));
    // the HTML is the SPASER document's: same style sheet, print layout, chart inline
    let html = r.to_html(Lang::Fr);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    assert!(html.contains("@page { size: A4;"));
    assert!(html.contains("<figure>\n<svg") && html.contains("role=\"img\""));
    assert!(!html.contains("<script") && !html.contains("<link"));
}
