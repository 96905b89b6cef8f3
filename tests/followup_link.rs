//! Specification of plan ↔ award linking on a data set written for the crate
//! (`tests/data/followup/`): a programme of 40 lines of one town (Ville de Valmont-sur-Loire,
//! SIRET 21490999600016) and a DECP file (2024 format) of its contracts plus other buyers'
//! near copies, with the true links known (`truth.json`): a line split into three lots (L06),
//! two lines grouped into one contract (L15 + L16), an explicit link (L24), a framework
//! agreement (L04), two unplanned awards, a late line (L29), lines pending, cancelled, bought
//! through a central purchasing body, or below the DECP publication threshold (R2196-1).
//! `decp_noisy.json` is a harder variant: objects reworded, amounts off by up to 27 %, dates
//! moved by up to 40 days, CPV codes of a neighbouring group, lots published under their own ids.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use spaser::Programme;
use spaser::decp::{self, AwardedContract};
use spaser::followup::{LinkKind, LinkOptions, Linking, Unlinked, link};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/followup/");

#[derive(Deserialize)]
struct Truth {
    links: BTreeMap<String, Vec<String>>,
    kinds: BTreeMap<String, String>,
    unplanned: Vec<String>,
    late_or_abandoned: Vec<String>,
    pending: Vec<String>,
    cancelled: Vec<String>,
    central_purchasing: Vec<String>,
    below_publication_threshold: Vec<String>,
}

fn programme() -> Programme {
    Programme::from_json(&std::fs::read_to_string(format!("{DIR}programme.json")).unwrap()).unwrap()
}

fn contracts(file: &str) -> Vec<AwardedContract> {
    let data = decp::read(std::fs::read(format!("{DIR}{file}")).unwrap().as_slice()).unwrap();
    assert_eq!(data.accounting.rejected, 0);
    data.contracts
}

fn truth(file: &str) -> Truth {
    serde_json::from_str(&std::fs::read_to_string(format!("{DIR}{file}")).unwrap()).unwrap()
}

fn true_pairs(t: &Truth) -> BTreeSet<(String, String)> {
    t.links
        .iter()
        .flat_map(|(l, cs)| cs.iter().map(move |c| (l.clone(), c.clone())))
        .collect()
}

/// (precision, recall, false pairs, missed pairs).
fn quality(
    linking: &Linking,
    t: &Truth,
) -> (f64, f64, Vec<(String, String)>, Vec<(String, String)>) {
    let found: BTreeSet<(String, String)> = linking.pairs().into_iter().collect();
    let truth = true_pairs(t);
    let tp = found.intersection(&truth).count();
    let fp: Vec<_> = found.difference(&truth).cloned().collect();
    let missed: Vec<_> = truth.difference(&found).cloned().collect();
    (
        tp as f64 / found.len().max(1) as f64,
        tp as f64 / truth.len().max(1) as f64,
        fp,
        missed,
    )
}

fn state_of(linking: &Linking, state: Unlinked) -> Vec<String> {
    linking
        .unlinked
        .iter()
        .filter(|u| u.state == state)
        .map(|u| u.line.clone())
        .collect()
}

#[test]
fn linker_finds_every_true_link_and_no_false_one_at_the_default_threshold() {
    let linking = link(
        &programme(),
        &contracts("decp.json"),
        &LinkOptions::default(),
    )
    .unwrap();
    let t = truth("truth.json");
    let (precision, recall, fp, missed) = quality(&linking, &t);
    println!("clean: precision {precision:.3}, recall {recall:.3}");
    assert!(fp.is_empty(), "false links: {fp:?}");
    assert!(missed.is_empty(), "missed links: {missed:?}");
}

#[test]
#[ignore]
fn debug_dump() {
    let file = std::env::var("DECP").unwrap_or("decp.json".into());
    let linking = link(&programme(), &contracts(&file), &LinkOptions::default()).unwrap();
    for l in &linking.links {
        println!(
            "{:?} {:?} {:?} {}",
            l.kind,
            l.lines,
            l.contracts.iter().map(|c| &c.key).collect::<Vec<_>>(),
            l.score
        );
        for p in &l.pairs {
            println!(
                "    {} {} {} {}",
                p.line, p.contract, p.score, p.score_without_amount
            );
        }
    }
    for u in &linking.unplanned {
        println!(
            "unplanned {} {:?}",
            u.contract.key,
            u.closest.as_ref().map(|p| (
                &p.line,
                p.score,
                p.score_without_amount,
                p.reasons.iter().map(|r| r.to_string()).collect::<Vec<_>>()
            ))
        );
    }
    for u in &linking.unlinked {
        println!(
            "unlinked {} {:?} {:?}",
            u.line,
            u.state,
            u.closest.as_ref().map(|p| (
                &p.contract,
                p.score,
                p.score_without_amount,
                p.reasons.iter().map(|r| r.to_string()).collect::<Vec<_>>()
            ))
        );
    }
}
